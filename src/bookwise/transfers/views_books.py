"""Pages for whole books: mass-reassignment plans, accounts held by managers, tracking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bookwise.core import charts
from bookwise.core.errors import ApplicationError, NotFound
from bookwise.people.models import Rep
from bookwise.people.selectors import rep_get

from . import planning
from .forms import PlanForm
from .models import PlanLine, ReassignmentPlan
from .permissions import can_manage_for
from .recommend import candidate_reps
from .selectors import managers_holding_accounts
from .tracking import GROUPS, tracking_report


def _plan(request: HttpRequest, plan_id: int) -> ReassignmentPlan:
    plan = ReassignmentPlan.objects.select_related("from_rep").filter(pk=plan_id).first()
    if plan is None or not can_manage_for(request.user, plan.from_rep):
        raise Http404("No such plan.")
    return plan


@login_required
def plan_new(request: HttpRequest, rep_id: str) -> HttpResponse:
    try:
        rep = rep_get(user=request.user, rep_id=rep_id)
    except NotFound:
        raise Http404("No such rep.") from None
    if not can_manage_for(request.user, rep):
        raise Http404("No such rep.")
    form = PlanForm(request.POST or None, initial={"effective_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            plan = planning.plan_create(
                from_rep=rep, actor=request.user, day=timezone.localdate(), **form.cleaned_data
            )
            return redirect("transfers:plan", plan_id=plan.pk)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return render(request, "transfers/plan_new.html", {"rep": rep, "form": form})


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    lines = plan.lines.select_related("account", "to_rep")
    candidates = [r for r in candidate_reps(request.user) if r.pk != plan.from_rep_id and r.end_date is None]
    return render(request, "transfers/plan.html", {"plan": plan, "lines": lines, "reps": candidates})


@login_required
@require_POST
def plan_line_edit(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    line = PlanLine.objects.select_related("account", "plan__from_rep").filter(plan=plan, pk=line_id).first()
    to_rep = Rep.objects.filter(external_id=request.POST.get("to", "")).first()
    if line is None:
        raise Http404("No such line.")
    try:
        planning.plan_line_update(line=line, to_rep=to_rep, actor=request.user)
        messages.success(
            request, f"{line.account.external_id} now goes to {to_rep.name if to_rep else 'nobody'}."
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("transfers:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_apply(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    try:
        transfers = planning.plan_apply(plan=plan, actor=request.user)
        messages.success(request, f"{len(transfers)} transfers drafted.")
        return redirect("/transfers/?state=open")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("transfers:plan", plan_id=plan.pk)


@login_required
def managers_accounts(request: HttpRequest) -> HttpResponse:
    rows = managers_holding_accounts(user=request.user, day=timezone.localdate())
    for row in rows:
        row["can_plan"] = can_manage_for(request.user, row["rep"])
    return render(request, "transfers/managers.html", {"rows": rows})


@login_required
def tracking(request: HttpRequest) -> HttpResponse:
    group = request.GET.get("group", "rep")
    report = tracking_report(user=request.user, group=group, day=timezone.localdate())
    rows = report["rows"]
    chart = None
    if rows:
        labels = [r["group"] for r in rows]
        chart = charts.bar_chart(
            "Retained after 12 months: transferred vs not transferred",
            labels,
            {
                "Transferred": [r["retained_12"] or 0 for r in rows],
                "Not transferred (same windows)": [r["comparison_retained_12"] or 0 for r in rows],
            },
        )
    return render(request, "transfers/tracking.html", {"report": report, "chart": chart, "groups": GROUPS})
