"""Transfer pages: list, new transfer from an account, detail with the steps and interview."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import account_get
from bookwise.core.errors import ApplicationError, Forbidden, NotFound
from bookwise.core.users import Viewer
from bookwise.people.pickers import PickError, find_rep, picker_text, rep_options
from bookwise.people.selectors import rep_list, require_edits_visible

from . import rules, services
from .forms import (
    CancelForm,
    CompleteForm,
    InterviewForm,
    IntroduceForm,
    TransferForm,
    WaiveForm,
    form_error_text,
)
from .introductions import sync_contacts, unanswered_key_contacts
from .models import SECTION_LABELS, HandoffInterview, Transfer, TransferState
from .permissions import START_REFUSED, can_edit_interview, can_manage, can_manage_for
from .recommend import recommend
from .selectors import transfer_get, transfer_list, transfers_waiting_for


def _not_found(exc: NotFound) -> HttpResponse:
    raise Http404(exc.message)


@login_required
def transfer_index(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    page = Paginator(transfer_list(user=request.user, state=state), 50).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "state": state,
        "states": TransferState.choices,
        "waiting": transfers_waiting_for(user=request.user)[:20],
    }
    return render(request, "transfers/list.html", context)


@login_required
def transfer_new(request: HttpRequest, account_id: str) -> HttpResponse:
    try:
        account = account_get(user=request.user, account_id=account_id)
    except NotFound as exc:
        return _not_found(exc)
    require_edits_visible(request.user, START_REFUSED)  # sales ops see the account: a 403, as the API
    owner = services.open_owner(account, "primary")
    if not can_manage_for(request.user, owner):  # they see the account: the reason, not a 404
        raise Forbidden(START_REFUSED)
    form = TransferForm(
        request.POST or None,
        initial={"to": _picked(request, request.GET.get("to", ""))},
        rep_choices=rep_options(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfer = _create(request, account, form.cleaned_data)
            messages.success(request, "Transfer drafted.")
            return redirect("transfers:detail", transfer_id=transfer.pk)
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
    ranking = recommend(account=account, user=request.user, day=timezone.localdate())
    return render(
        request, "transfers/new.html", {"account": account, "owner": owner, "form": form, "r": ranking}
    )


def _picked(request: HttpRequest, rep_id: str) -> str:
    """A recommended rep's id (?to=R05) as the picker shows it: "Name (R05)"."""
    rep = rep_list(user=request.user).filter(external_id=rep_id).first() if rep_id else None
    return picker_text(rep) if rep is not None else ""


def _create(request: HttpRequest, account: Account, data: dict[str, Any]) -> Transfer:
    try:  # among the reps the user may see: another team's rep is "no rep called", no enumeration
        to_rep = find_rep(user=request.user, text=data["to"])
    except PickError as exc:
        raise NotFound(str(exc), {"field": "to"}) from None
    if to_rep is None:
        raise NotFound("an incoming rep is required.", {"field": "to"})
    return services.transfer_create(
        account=account,
        to_rep=to_rep,
        effective_date=data["effective_date"],
        reason=data["reason"],
        actor=request.user,
        co_coverage_days=data["co_coverage_days"],
        note=data["note"],
        backdate_reason=data["backdate_reason"],
    )


@login_required
def transfer_detail(request: HttpRequest, transfer_id: int) -> HttpResponse:
    try:
        transfer = transfer_get(user=request.user, transfer_id=transfer_id)
    except NotFound as exc:
        return _not_found(exc)
    interview = HandoffInterview.objects.filter(transfer=transfer).first()
    fields = {n: getattr(interview, n) for n in InterviewForm().fields} if interview else None
    context = {
        "t": transfer,
        "interview": interview,
        "manage": can_manage(request.user, transfer),
        "edit_interview": interview is not None
        and transfer.is_open
        and can_edit_interview(request.user, transfer),
        "interview_form": InterviewForm(initial=fields) if interview else None,
        "waive_form": WaiveForm(),
        "introduce_form": IntroduceForm(),
        "cancel_form": CancelForm(),
        "complete_form": CompleteForm(),
        "missing": _missing_labels(transfer),
        "needs_backdate": _needs_backdate(transfer),
        "contact_rows": sync_contacts(interview) if interview else [],
        "unanswered": unanswered_key_contacts(transfer) if transfer.is_open else [],
    }
    return render(request, "transfers/detail.html", context)


def _missing_labels(transfer: Transfer) -> list[str]:
    if transfer.state not in ("handoff", "introduced"):
        return []
    return [SECTION_LABELS[name] for name in services.missing_interview_sections(transfer)]


def _needs_backdate(transfer: Transfer) -> bool:
    """Completing needs an administrator's back-dating reason (see rules.check_effective_date)."""
    back, _ = rules.window()
    too_old = (timezone.localdate() - transfer.effective_date).days > back
    return transfer.state == "introduced" and too_old and not rules.backdate_confirmed(transfer)


# A step: (its form or None, the service call given the transfer, the user and the form's
# cleaned data, which Django types dict[str, Any]).
Step = Callable[[Transfer, Viewer, dict[str, Any]], object]
STEPS: dict[str, tuple[type[forms.Form] | None, Step]] = {
    "handoff": (None, lambda t, u, d: services.transfer_start_handoff(transfer=t, actor=u)),
    "interview": (InterviewForm, lambda t, u, d: services.interview_update(transfer=t, actor=u, **d)),
    "waive": (
        WaiveForm,
        lambda t, u, d: services.transfer_waive_interview(transfer=t, actor=u, reason=d["waiver_reason"]),
    ),
    "introduce": (IntroduceForm, lambda t, u, d: services.transfer_introduce(transfer=t, actor=u, **d)),
    "complete": (
        CompleteForm,
        lambda t, u, d: services.transfer_complete(transfer=t, actor=u, backdate_reason=d["backdate_reason"]),
    ),
    "cancel": (CancelForm, lambda t, u, d: services.transfer_cancel(transfer=t, actor=u, reason=d["reason"])),
}


DONE = {
    "handoff": "Handoff interview started.",
    "interview": "Interview saved.",
    "waive": "Interview waived.",
    "introduce": "Introduction recorded.",
    "complete": "Transfer completed: the new ownership is written.",
    "cancel": "Transfer cancelled.",
}


@login_required
@require_POST
def transfer_step(request: HttpRequest, transfer_id: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404("No such step.")
    try:
        transfer = transfer_get(user=request.user, transfer_id=transfer_id)
    except NotFound as exc:
        return _not_found(exc)
    form_class, action = STEPS[step]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("transfers:detail", transfer_id=transfer.pk)
    try:
        action(transfer, request.user, form.cleaned_data if form else {})
        messages.success(request, DONE[step])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("transfers:detail", transfer_id=transfer.pk)
