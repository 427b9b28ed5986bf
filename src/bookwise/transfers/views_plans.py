"""Pages of mass-reassignment plans: the list by state, propose, review (reassign or remove
lines, per-recipient summary), discard, and apply after a confirmation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bookwise.core import background
from bookwise.core.errors import ApplicationError, NotFound, RuleViolation
from bookwise.core.numbers import display_percent
from bookwise.core.users import Viewer
from bookwise.people.models import Rep
from bookwise.people.selectors import rep_get, require_edits_visible, scope_for

from . import plan_edit, planning, rules
from .forms import ReassignmentPlanForm
from .models import PlanLine, PlanState, ReassignmentPlan
from .permissions import PLAN_REFUSED, can_manage_for
from .workload import WorkloadView, workload_view

CONFIRM_DISCARD = "I confirm: discard this plan"


def _plan(request: HttpRequest, plan_id: int) -> ReassignmentPlan:
    plan = ReassignmentPlan.objects.select_related("from_rep", "created_by").filter(pk=plan_id).first()
    if plan is None or not can_manage_for(request.user, plan.from_rep):
        raise Http404("No such plan.")
    return plan


def plannable_reps(user: Viewer | None) -> list[Rep]:
    """Reps whose book the user may plan: those leaving (soonest first), those who have left
    (latest first), then everybody else by name."""
    scope = scope_for(user)
    reps = Rep.objects.all() if scope.manages_everything else Rep.objects.filter(id__in=scope.rep_ids)
    today = timezone.localdate()

    def order(rep: Rep) -> tuple[int, int, str]:
        if rep.end_date is None:
            return (2, 0, rep.name)
        if rep.end_date >= today:
            return (0, rep.end_date.toordinal(), rep.name)
        return (1, -rep.end_date.toordinal(), rep.name)

    return sorted((r for r in reps if can_manage_for(user, r)), key=order)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    plans = ReassignmentPlan.objects.select_related("from_rep", "created_by").order_by("-created_at", "-id")
    if state in PlanState.values:
        plans = plans.filter(state=state)
    rows = [p for p in plans[:500] if can_manage_for(request.user, p.from_rep)]
    context = {
        "plans": rows,
        "state": state,
        "states": PlanState.choices,
        "reps": plannable_reps(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "transfers/plan_list.html", context)


@login_required
def plan_pick(request: HttpRequest) -> HttpResponse:
    """The list page's "Propose a plan" picker: on to the rep's plan form."""
    rep_id = request.GET.get("rep", "")
    if not rep_id:
        messages.error(request, "Pick the rep whose book is handed over.")
        return redirect("transfers:plans")
    return redirect("transfers:plan_new", rep_id=rep_id)


def _rep_to_plan(request: HttpRequest, rep_id: str) -> Rep:
    try:
        rep = rep_get(user=request.user, rep_id=rep_id)
    except NotFound:
        raise Http404("No such rep.") from None
    require_edits_visible(request.user, PLAN_REFUSED)  # sales ops see the rep: a 403, as the API
    if not can_manage_for(request.user, rep):
        raise Http404("No such rep.")
    return rep


@login_required
def plan_new(request: HttpRequest, rep_id: str) -> HttpResponse:
    rep = _rep_to_plan(request, rep_id)
    today = timezone.localdate()
    initial = {"effective_date": plan_edit.effective_default(rep, today)}
    form = ReassignmentPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            return _plan_solve(request, rep, today, form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    drafts = ReassignmentPlan.objects.filter(from_rep=rep, state=PlanState.DRAFT)
    return render(request, "transfers/plan_new.html", {"rep": rep, "form": form, "drafts": drafts})


def _plan_solve(request: HttpRequest, rep: Rep, today: Any, data: dict[str, Any]) -> HttpResponse:
    """Solve the plan on the job queue when there is one (the user follows it on the jobs
    page, whose result links to the plan), else here; the quick checks first, on the form."""
    rules.check_reason(data["reason"])
    planning.check_effective_date(data["effective_date"], today)
    params = {
        "rep_id": rep.external_id,
        "day": today.isoformat(),
        "reason": data["reason"],
        "effective_date": data["effective_date"].isoformat(),
    }
    queued = background.enqueue(
        "reassignment_plan", user=request.user, label=f"Reassignment plan for {rep.name}", params=params
    )
    if queued is not None:
        return redirect(queued.page)
    plan = planning.plan_create(from_rep=rep, actor=request.user, day=today, **data)
    return redirect("transfers:plan", plan_id=plan.pk)


def _lines(plan: ReassignmentPlan) -> list[PlanLine]:
    return list(
        plan.lines.select_related("account", "to_rep").order_by("account__name", "account__external_id")
    )


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    lines = _lines(plan)
    view = workload_view(day=plan.effective_date)
    revenue = planning.t12m_revenue([x.account for x in lines], plan.day)
    moves = [(x.account, x.to_rep) for x in lines if x.to_rep is not None]
    draft = plan.state == PlanState.DRAFT
    context = {
        "plan": plan,
        "lines": [{"line": x, "revenue": revenue.get(x.account_id)} for x in lines],
        "summary": planning.recipient_summary(view, moves, revenue),
        "options": _options(plan_edit.eligible_recipients(plan, request.user), view) if draft else [],
        "draft": draft,
        "confirm_discard": CONFIRM_DISCARD,
    }
    return render(request, "transfers/plan.html", context)


def _options(reps: list[Rep], view: WorkloadView) -> list[dict[str, Any]]:
    """The rep picker: every eligible rep by name, with their load on the effective date."""
    options = []
    for rep in reps:
        load = view.loads.get(rep.pk)
        used = (
            f"{display_percent(load.utilisation, 0)} loaded"
            if load and load.utilisation is not None
            else "no load data"
        )
        options.append({"id": rep.external_id, "pk": rep.pk, "label": f"{rep.name} ({used})"})
    return options


def _line(plan: ReassignmentPlan, line_id: int) -> PlanLine:
    line = PlanLine.objects.select_related("account", "to_rep").filter(plan=plan, pk=line_id).first()
    if line is None:
        raise Http404("No such line.")
    return line


@login_required
@require_POST
def plan_line_edit(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    line = _line(plan, line_id)
    to_rep = Rep.objects.filter(external_id=request.POST.get("to", "")).first()
    if to_rep is not None and not scope_for(request.user).covers(to_rep.id):
        to_rep = None  # another team's rep reads as an unknown one: no name, no load
    try:
        if to_rep is None:
            raise RuleViolation("Pick the rep who takes the account, or remove the line.")
        plan_edit.plan_line_update(line=line, to_rep=to_rep, actor=request.user)
        messages.success(request, f"{line.account.name} now goes to {to_rep.name}.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("transfers:plan", plan_id=plan.pk)  # the message shows at the top


@login_required
@require_POST
def plan_line_remove(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    line = _line(plan, line_id)
    try:
        plan_edit.plan_line_remove(line=line, actor=request.user)
        messages.success(request, f"{line.account.name} was removed from the plan; it stays with its owner.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("transfers:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_discard(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Discard a draft plan, once the box "I confirm: discard this plan" is ticked."""
    plan = _plan(request, plan_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, f"Nothing discarded: tick “{CONFIRM_DISCARD}” to confirm.")
        return redirect("transfers:plan", plan_id=plan.pk)
    try:
        plan_edit.plan_discard(plan=plan, actor=request.user)
        messages.success(request, "The plan was discarded.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("transfers:plan", plan_id=plan.pk)


@login_required
def plan_apply(request: HttpRequest, plan_id: int) -> HttpResponse:
    """GET: the confirmation page (applying cannot be undone); POST: apply."""
    plan = _plan(request, plan_id)
    if request.method != "POST":
        lines = _lines(plan)
        return render(request, "transfers/plan_confirm.html", {"plan": plan, "lines": lines})
    try:
        transfers = plan_edit.plan_apply(plan=plan, actor=request.user)
        messages.success(request, f"{len(transfers)} transfers drafted from the plan.")
        return redirect(reverse("transfers:list") + "?state=open")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("transfers:plan", plan_id=plan.pk)
