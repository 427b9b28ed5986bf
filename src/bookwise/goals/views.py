"""Goal pages: the goals of a period, one goal with its trend and its parts, the split
form, the table of territories and reps off track, and setting the company's goal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from bookwise.accounts.selectors import today
from bookwise.core.dates import Period
from bookwise.core.errors import ApplicationError, Forbidden

from . import access, charts, services
from .figures import measuring
from .overview import overview
from .periods import goal_period
from .present import shown
from .selectors import (
    STATUS_LABELS,
    figure_choices,
    goal_get,
    off_track,
    split_children,
    standing,
    trend,
    visible_standings,
)
from .tree import tree_for


def _period(request: HttpRequest, label: str | None = None) -> Period:
    return goal_period(label or request.GET.get("period") or str(today().year), today())


def _detail_url(period: str, figure: str, ref: str) -> str:
    return reverse("goals:detail", args=[period, figure]) + "?" + urlencode({"node": ref})


@login_required
def goal_index(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    with measuring():
        rows = visible_standings(user=request.user, period=period, day=today(), with_checks=True)
    glance = overview(rows, tree_for(period)) if rows else None
    by_figure: dict[str, list] = {}
    for s in rows:
        if glance is None or s.level != "rep":  # with the overview, the reps are in its teams
            by_figure.setdefault(s.figure.label, []).append(s)
    context = {
        "period": period, "by_figure": by_figure, "figures": figure_choices(), "overview": glance,
        "sets_company": access.sets_company_goals(request.user), "this_year": today().year,
        "years": [today().year + d for d in (-1, 0, 1)],
    }  # fmt: skip
    return render(request, "goals/index.html", context)


@login_required
@require_POST
def goal_set(request: HttpRequest) -> HttpResponse:
    figure, period = request.POST.get("figure", ""), request.POST.get("period", "")
    try:
        services.goal_set(figure_key=figure, period_label=period, target=request.POST.get("target", ""),
                          actor=request.user)  # fmt: skip
    except ApplicationError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, exc.message)
        return redirect(reverse("goals:index") + "?" + urlencode({"period": period}))
    messages.success(request, "The company's goal is set.")
    return redirect(_detail_url(period, figure, "company"))


@login_required
def goal_detail(request: HttpRequest, period: str, figure: str) -> HttpResponse:
    p, day = _period(request, period), today()
    with measuring():
        goal, fig, tree = goal_get(
            user=request.user, period=p, figure_key=figure, ref=request.GET.get("node", "")
        )
        s = standing(goal, fig, tree, p, day)
        points = trend(goal, fig, p, day)
        seen = {x.key: x for x in visible_standings(user=request.user, period=p, day=day, figure_key=figure)}
        parts = [seen[k] for k in tree.children(s.key) if k in seen]
    context = {
        "s": s, "period": p, "parts": parts, "chart": charts.trend_chart(fig, points) if points else None,
        "may_split": access.may_split(request.user, tree, s.key), "parent": tree.parent(s.key),
        "parent_ref": tree.refs.get(tree.parent(s.key) or ""), "status_labels": STATUS_LABELS,
    }  # fmt: skip
    return render(request, "goals/detail.html", context)


def _hand_targets(request: HttpRequest) -> dict[str, str]:
    return {k.removeprefix("target:"): str(v) for k, v in request.POST.items() if k.startswith("target:")}


@login_required
def goal_split(request: HttpRequest, period: str, figure: str) -> HttpResponse:
    p, ref = _period(request, period), request.GET.get("node", "")
    with measuring():
        goal, fig, tree = goal_get(user=request.user, period=p, figure_key=figure, ref=ref)
        if not access.may_split(request.user, tree, goal.node_key):
            raise Forbidden("You may not split this goal.")
        error, typed = "", _hand_targets(request)
        if request.method == "POST":
            method = request.POST.get("method", "")
            try:
                hand = typed if method == "hand" else None
                services.goal_split(figure_key=figure, period_label=p.label, node_ref=ref, method=method,
                                    targets=hand, actor=request.user)  # fmt: skip
            except ApplicationError as exc:
                error = exc.message
            else:
                messages.success(request, f"{fig.label} goal of {tree.names[goal.node_key]} split.")
                return redirect(_detail_url(p.label, figure, ref))
        children = split_children(goal, fig, tree, p)
    rows = [
        (
            c,
            typed.get(c.ref, _plain(c.current, fig.kind)),
            shown(c.last_year, fig.kind),
            shown(c.weight, fig.weight_kind),
        )
        for c in children
    ]
    context = {"goal": goal, "figure": fig, "period": p, "ref": ref, "name": tree.names[goal.node_key],
               "target": shown(goal.target(fig.scale), fig.kind), "rows": rows, "error": error,
               "method": request.POST.get("method", "even"), "ratio": fig.kind == "ratio"}  # fmt: skip
    return render(request, "goals/split.html", context, status=422 if error else 200)


def _plain(value: Any, kind: str) -> str:
    """A target as typed back into the form: a ratio in per cent (105.00%)."""
    if value is None:
        return ""
    return f"{value * 100:.2f}%" if kind == "ratio" else f"{value}"


@login_required
def off_track_page(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    day: date = today()
    with measuring():
        rows = off_track(user=request.user, period=period, day=day)
    tree = tree_for(period)
    parents = {s.key: tree.names.get(tree.parent(s.key) or "", "") for s in rows}
    context = {"period": period, "rows": rows, "day": day, "parents": parents}
    return render(request, "goals/off_track.html", context)
