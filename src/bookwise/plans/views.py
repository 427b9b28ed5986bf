"""Plan pages: list, coverage, overdue reviews, one-page plan, edit, workflow, reviews, PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bookwise.accounts.selectors import account_get, today
from bookwise.agreements.selectors import account_agreements
from bookwise.core.dates import parse_iso_date
from bookwise.core.errors import ApplicationError, Conflict, Forbidden, NotFound, RuleViolation
from bookwise.people.models import Rep
from bookwise.people.selectors import rep_list, require_edits_visible

from . import services
from .actuals import actual_chart, plan_actual, plan_actuals
from .coverage import GROUPINGS, coverage_facts, coverage_groups, describe, lacking, totals
from .forms import ActionFormSet, NewPlanForm, ObjectiveFormSet, PlanForm, ReviewForm, content_from
from .models import SECTIONS, AccountPlan, PlanMark
from .pdf import plan_pdf_bytes
from .selectors import (
    can_approve,
    can_mark,
    next_review,
    overdue_reviews,
    plan_get,
    visible_plans,
)

CONFIRM_ARCHIVE = "I confirm: archive this plan"


def page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """@login_required, and denials as pages: NotFound -> 404 (never a leak), Forbidden -> 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None

    return login_required(wrapper)


def _refuse(form: Any, exc: ApplicationError) -> None:
    """Show a service's refusal on the field it names (the message names it by its label),
    or above the form."""
    field = exc.extra.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


def _day(request: HttpRequest) -> date:
    text = request.GET.get("date", "")
    try:
        return parse_iso_date(text) if text else today()
    except ValueError:
        return today()


def _year(request: HttpRequest, day: date) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() else day.year


@page
def plan_index(request: HttpRequest) -> HttpResponse:
    day = today()
    year = _year(request, day)
    plans = visible_plans(user=request.user).filter(year=year).exclude(status="archived")
    page = Paginator(plans.order_by("account__name", "id"), 50).get_page(request.GET.get("page"))
    actuals = plan_actuals(list(page.object_list), day=day)
    rows = [(plan, actuals[plan.pk]) for plan in page.object_list]
    return render(request, "plans/index.html", {"rows": rows, "page_obj": page, "year": year, "day": day})


@page
def coverage(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    by = request.GET.get("by", "rep")
    by = by if by in GROUPINGS else "rep"
    facts = coverage_facts(user=request.user, day=day)
    page = Paginator(lacking(facts), 50).get_page(request.GET.get("page"))
    context = {
        "day": day,
        "by": by,
        "groupings": GROUPINGS,
        "groups": coverage_groups(facts, by),
        "page_obj": page,
        "lacking_rows": describe(list(page.object_list)),
        "totals": totals(facts),
    }
    return render(request, "plans/coverage.html", context)


@page
def overdue(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    page = Paginator(overdue_reviews(day=day, user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "plans/overdue.html", {"items": page.object_list, "page_obj": page, "day": day})


@page
def account_plans(request: HttpRequest, account_id: str) -> HttpResponse:
    account = account_get(user=request.user, account_id=account_id)
    form = NewPlanForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                account=account, year=form.cleaned_data["year"], actor=request.user, day=today()
            )
        except ApplicationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Draft plan {plan.year} created.")
            return redirect("plans:edit", plan_id=plan.pk)
    context = {
        "account": account,
        "plans": AccountPlan.objects.filter(account=account).order_by("-year", "-id"),
        "form": form,
        "marked": PlanMark.objects.filter(account=account).exists(),
        "can_mark": can_mark(user=request.user),
    }
    return render(request, "plans/account.html", context)


@page
@require_POST
def mark(request: HttpRequest, account_id: str) -> HttpResponse:
    account = account_get(user=request.user, account_id=account_id)
    if not can_mark(user=request.user):
        raise Forbidden("Only managers mark accounts as needing a plan.")
    if request.POST.get("unmark"):
        services.plan_unmark(account=account, actor=request.user)
        messages.success(request, "The account no longer needs a plan by a manager's mark.")
    else:
        services.plan_mark(account=account, actor=request.user, note=request.POST.get("note", ""))
        messages.success(request, "Marked: this account needs a plan.")
    return redirect("plans:account", account_id=account.external_id)


def _shown(plan: Any) -> list[dict]:
    return [s for s in services.template_sections(plan) if s["key"] in SECTIONS]


@page
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(user=request.user, plan_id=plan_id)
    day = today()
    actual = plan_actual(plan, day=day)
    context = {
        "plan": plan,
        "actual": actual,
        "chart": actual_chart(actual),
        "shown": {s["key"] for s in _shown(plan)},
        "sections": _shown(plan),
        "objectives": plan.objectives.select_related("owner"),
        "actions": plan.actions.select_related("owner"),
        "reviews": plan.reviews.select_related("reviewer"),
        "versions": plan.versions.select_related("approved_by"),
        "next_review": next_review(plan),
        "can_approve": can_approve(user=request.user, plan=plan, day=day),
        "agreements": account_agreements(account=plan.account, day=day),
    }
    return render(request, "plans/detail.html", context)


def _owner_choices(user: Any) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    reps = list(rep_list(user=user))
    return [(r.external_id, r.name) for r in reps], {r.external_id: r for r in reps}


def _row_initial(rows: Any, names: tuple[str, ...]) -> list[dict]:
    out = []
    for row in rows:
        data = {name: getattr(row, name) for name in names}
        data["owner"] = row.owner.external_id if row.owner else ""
        out.append(data)
    return out


OBJECTIVE_FIELDS = ("id", "description", "kind", "target", "due_date", "status")


@page
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(user=request.user, plan_id=plan_id)
    require_edits_visible(request.user)  # the form is not offered to whom may not send it
    choices, reps = _owner_choices(request.user)
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, initial=PlanForm.initial_for(plan))
    objectives = ObjectiveFormSet(
        data, prefix="obj", form_kwargs={"owners": choices},
        initial=_row_initial(plan.objectives.all(), OBJECTIVE_FIELDS),
    )  # fmt: skip
    actions = ActionFormSet(
        data, prefix="act", form_kwargs={"owners": choices},
        initial=_row_initial(plan.actions.all(), ("id", "description", "due_date", "done")),
    )  # fmt: skip
    if data is not None and form.is_valid() and objectives.is_valid() and actions.is_valid():
        try:
            services.plan_update(
                plan=plan, content=content_from(form, objectives, actions, reps), actor=request.user
            )
        except ApplicationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, "Plan saved as a draft.")
            return redirect("plans:detail", plan_id=plan.pk)
    context = {
        "plan": plan,
        "form": form,
        "objectives": objectives,
        "actions": actions,
        "sections": _shown(plan),
    }
    return render(request, "plans/edit.html", context)


WORKFLOW = {
    "submit": lambda plan, user: services.plan_submit(plan=plan, actor=user),
    "approve": lambda plan, user: services.plan_approve(plan=plan, actor=user, day=today()),
    "return": lambda plan, user: services.plan_return(plan=plan, actor=user, day=today()),
    "archive": lambda plan, user: services.plan_archive(plan=plan, actor=user, day=today()),
}


@page
@require_POST
def plan_workflow(request: HttpRequest, plan_id: int, step: str) -> HttpResponse:
    plan = plan_get(user=request.user, plan_id=plan_id)
    if step not in WORKFLOW:
        raise NotFound("No such step.")
    if step == "archive" and request.POST.get("confirm") != "yes":
        messages.error(request, f"Nothing archived: tick “{CONFIRM_ARCHIVE}” to confirm.")
        return redirect("plans:detail", plan_id=plan.pk)
    try:
        plan = WORKFLOW[step](plan, request.user)
    except (Conflict, RuleViolation) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Plan {plan.status}.")
    return redirect("plans:detail", plan_id=plan.pk)


@page
def review_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(user=request.user, plan_id=plan_id)
    require_edits_visible(request.user)
    objectives = list(plan.objectives.all())
    form = ReviewForm(request.POST or None, objectives=objectives)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_record(
                plan=plan, actor=request.user, review_date=form.cleaned_data["review_date"],
                progress=form.progress(), notes=form.cleaned_data["notes"],
                next_steps=form.cleaned_data["next_steps"],
            )  # fmt: skip
        except ApplicationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, "Review recorded.")
            return redirect("plans:detail", plan_id=plan.pk)
    context = {"plan": plan, "form": form, "next_review": next_review(plan)}
    return render(request, "plans/review.html", context)


@page
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(user=request.user, plan_id=plan_id)
    body = plan_pdf_bytes(plan, day=today())
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{plan.account.external_id}-{plan.year}.pdf"'
    return response


@page
def plan_version(request: HttpRequest, plan_id: int, number: int) -> HttpResponse:
    plan = plan_get(user=request.user, plan_id=plan_id)
    version = plan.versions.filter(number=number).select_related("approved_by").first()
    if version is None:
        raise NotFound("No such version.")
    rows = [*version.content.get("objectives", []), *version.content.get("actions", [])]
    ids = {r.get("owner_id") for r in rows}
    owners = dict(Rep.objects.filter(external_id__in=ids).values_list("external_id", "name"))
    return render(request, "plans/version.html", {"plan": plan, "version": version, "owners": owners})
