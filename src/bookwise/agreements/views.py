"""Agreement pages: the list with filters, one agreement with its burn-down, the renewal
pipeline, coverage (with the retention of contracted accounts), new and edit forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bookwise.accounts.selectors import today
from bookwise.core.dates import parse_iso_date
from bookwise.core.errors import ApplicationError
from bookwise.core.periods import check_as_of
from bookwise.core.validation import InvalidValue
from bookwise.people.selectors import rep_list, require_edits_visible

from . import services
from .coverage import contracted_retention, coverage_by
from .editing import create_from_form, edit_from_form
from .models import TRANSITIONS, AgreementKind, AgreementStatus
from .presenters import burn_down_chart
from .rules import CONSUMPTION_LABELS
from .selectors import PIPELINE_BUCKETS, AgreementFilters, agreement_figures, agreement_get, agreement_list
from .selectors import renewal_pipeline as pipeline

STATUS_BUTTONS = {
    "active": "Activate",
    "expired": "Mark expired",
    "renewed": "Mark renewed",
    "cancelled": "Cancel",
}
CONFIRM_CANCEL = "I confirm: cancel this agreement"


def _day(request: HttpRequest) -> date:
    """The page's as-of date (`?date=`, default today): a date that cannot be read, or one
    outside the as-of bounds, is refused with the error page, not quietly read as today."""
    text = request.GET.get("date", "").strip()
    if not text:
        return today()
    try:
        day = parse_iso_date(text)
    except ValueError:
        raise InvalidValue("Date", f"“{text[:40]}” is not a date (YYYY-MM-DD).", "date") from None
    return check_as_of(day, today(), label="Date", field="date")


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 6 else None


def _owners(user: Any) -> list[tuple[str, str]]:
    return [(r.external_id, r.name) for r in rep_list(user=user)]


@login_required  # NotFound and Forbidden become 404 and 403 in core.middleware
def agreement_index(request: HttpRequest) -> HttpResponse:
    day, get = _day(request), request.GET
    owners = {r.external_id: r for r in rep_list(user=request.user)}
    owner = owners.get(get.get("owner", ""))
    filters = AgreementFilters(
        status=get.get("status", "") if get.get("status") in AgreementStatus.values else "",
        kind=get.get("kind", "") if get.get("kind") in AgreementKind.values else "",
        owner_id=owner.pk if owner else None, search=get.get("q", "").strip()[:100],
        ending_within=_int(get.get("ending", "")),
        consumption=get.get("consumption", "") if get.get("consumption") in CONSUMPTION_LABELS else "",
    )  # fmt: skip
    rows = agreement_list(user=request.user, day=day, filters=filters)
    context = {
        "rows": rows, "day": day, "filters": filters, "owners": list(owners.values()),
        "owner": owner.external_id if owner else "", "statuses": AgreementStatus.choices,
        "kinds": AgreementKind.choices, "consumptions": CONSUMPTION_LABELS.items(),
        "endings": PIPELINE_BUCKETS,
    }  # fmt: skip
    return render(request, "agreements/index.html", context)


@login_required
def agreement_detail(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = agreement_get(user=request.user, agreement_id=agreement_id)
    day = _day(request)
    figures = agreement_figures(agreement, day)
    steps = [(s, STATUS_BUTTONS[s]) for s in TRANSITIONS[agreement.status]]
    context = {
        "a": agreement, "f": figures, "day": day, "chart": burn_down_chart(figures), "steps": steps,
        "renewals": agreement.renewals.order_by("start_date"), "confirm_cancel": CONFIRM_CANCEL,
    }  # fmt: skip
    return render(request, "agreements/detail.html", context)


@require_POST
@login_required
def agreement_status(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = agreement_get(user=request.user, agreement_id=agreement_id)
    status = request.POST.get("status", "")
    if status == "cancelled" and request.POST.get("confirm", "").strip() != CONFIRM_CANCEL:
        messages.error(request, f"Cancelling is final: type “{CONFIRM_CANCEL}” to confirm.")
        return redirect("agreements:detail", agreement_id=agreement.external_id)
    try:
        services.agreement_set_status(agreement=agreement, status=status, actor=request.user)
        messages.success(request, f"{agreement.external_id} is now {status}.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("agreements:detail", agreement_id=agreement.external_id)


@login_required
def renewals(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    rows = pipeline(user=request.user, day=day, days=180)
    buckets = [(b, [r for r in rows if r.bucket == b]) for b in PIPELINE_BUCKETS]
    return render(request, "agreements/renewals.html", {"day": day, "buckets": buckets, "count": len(rows)})


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    by = "territory" if request.GET.get("by") == "territory" else "rep"
    context = {
        "day": day, "by": by, "rows": coverage_by(user=request.user, day=day, by=by),
        "retention": contracted_retention(user=request.user, day=day),
    }  # fmt: skip
    return render(request, "agreements/coverage.html", context)


@login_required
def agreement_new(request: HttpRequest) -> HttpResponse:
    require_edits_visible(request.user)  # the form is not offered to whom may not send it
    return create_from_form(request, _owners(request.user))


@login_required
def agreement_edit(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = agreement_get(user=request.user, agreement_id=agreement_id)
    require_edits_visible(request.user)
    return edit_from_form(request, agreement, _owners(request.user))
