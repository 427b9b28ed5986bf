"""Pages for whole books: accounts held by managers, tracking (plans: views_plans.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bookwise.core import charts
from bookwise.core.templatetags.bookwise import label
from bookwise.people.models import Rep

from .permissions import can_manage_for
from .selectors import managers_holding_accounts
from .tracking import GROUPS, tracking_report


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
    names = group_names(report["group_by"], [r["group"] for r in rows])
    chart = None
    if rows:
        chart = charts.bar_chart(
            "Retained after 12 months: transferred vs not transferred",
            [names.get(r["group"], r["group"]) for r in rows],
            {
                "Transferred": [r["retained_12"] or 0 for r in rows],
                "Not transferred (same windows)": [r["comparison_retained_12"] or 0 for r in rows],
            },
        )
    context = {"report": report, "chart": chart, "groups": GROUPS, "names": names}
    return render(request, "transfers/tracking.html", context)


def group_names(group_by: str, keys: list[str]) -> dict[str, str]:
    """What a tracking group is called: a rep by name, a reason by its label, a period as is."""
    if group_by == "rep":
        return dict(Rep.objects.filter(external_id__in=keys).values_list("external_id", "name"))
    if group_by == "reason":
        return {key: label(key) for key in keys}
    return {}
