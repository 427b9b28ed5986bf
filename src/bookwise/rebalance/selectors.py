"""Reads of rebalancing: the proposals a user may see, and a proposal as the JSON of the
command line and the API (before/after per rep, balance, moves) and as charts."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from bookwise.accounts.selectors import held_on, visible_accounts
from bookwise.core.charts import bar_chart
from bookwise.core.dates import trailing_12_months
from bookwise.core.errors import NotFound
from bookwise.people.selectors import scope_for
from bookwise.retention.selectors import revenue_between

from .models import RealignmentPin, RebalanceProposal
from .problem import BALANCE_FIGURES
from .scopes import Scope, may_see, scope_reps, team_manager_id


def proposals_for(*, user: Any) -> list[RebalanceProposal]:
    """Every proposal whose scope the user may rebalance (newest first)."""
    seen = scope_for(user)
    qs: QuerySet[RebalanceProposal] = RebalanceProposal.objects.all()
    if seen.everything:
        return list(qs[:200])
    return [
        p
        for p in qs.filter(scope__startswith="team:")[:500]
        if may_see(user, p.scope, team_manager_id(p.scope))
    ][:200]


def proposal_get(*, user: Any, proposal_id: int) -> RebalanceProposal:
    proposal = RebalanceProposal.objects.filter(pk=proposal_id).first()
    if proposal is None or not may_see(user, proposal.scope, team_manager_id(proposal.scope)):
        raise NotFound("No such rebalance proposal.")
    return proposal


def after_loads(proposal: RebalanceProposal) -> dict[str, float]:
    """rep id -> load once the proposal's lines (as edited) have moved."""
    load = {r["rep_id"]: float(r["load"]) for r in proposal.reps}
    for from_id, to_id, points in proposal.lines.values_list(
        "from_rep__external_id", "to_rep__external_id", "points"
    ):
        load[from_id] = load.get(from_id, 0.0) - float(points)
        load[to_id] = load.get(to_id, 0.0) + float(points)
    return load


def revenue_by_account(proposal: RebalanceProposal) -> dict[int, Decimal]:
    """account pk -> revenue of the trailing 12 months at the proposal's day, for its lines."""
    window = trailing_12_months(proposal.day)
    ids = list(proposal.lines.values_list("account_id", flat=True))
    return revenue_between(window.start, window.end, ids) if ids else {}


def after_figures(proposal: RebalanceProposal, figure: str) -> dict[str, float]:
    """rep id -> revenue (or potential) once the proposal's lines have moved; {} for a
    proposal kept before these figures were."""
    if any(figure not in r for r in proposal.reps):
        return {}
    held = {r["rep_id"]: float(r[figure]) for r in proposal.reps}
    lines = proposal.lines.values_list(
        "account_id", "from_rep__external_id", "to_rep__external_id", "account__potential_revenue"
    )
    revenue = revenue_by_account(proposal) if figure == "revenue" else {}
    for pk, from_id, to_id, potential in lines:
        value = float(revenue.get(pk, 0) if figure == "revenue" else potential or 0)
        held[from_id] = held.get(from_id, 0.0) - value
        held[to_id] = held.get(to_id, 0.0) + value
    return held


def figure_balance(proposal: RebalanceProposal, held: dict[str, float]) -> dict[str, float]:
    """Max ratio to target and coefficient of variation of a figure per rep (reps who stay,
    capacity > 0); a rep's target is its capacity share of the scope's total."""
    staying = [r for r in proposal.reps if not r["leaving"] and r["capacity"] > 0]
    capacity = sum(r["capacity"] for r in staying)
    total = sum(held.values())
    if not staying or total <= 0:
        return {"max_ratio": 0.0, "cv": 0.0}
    ratios = [held[r["rep_id"]] / (total * r["capacity"] / capacity) for r in staying]
    mean = sum(ratios) / len(ratios)
    std = math.sqrt(sum((x - mean) ** 2 for x in ratios) / len(ratios))
    return {"max_ratio": round(max(ratios), 4), "cv": round(std / mean if mean else 0.0, 4)}


def balance_of(proposal: RebalanceProposal, load: dict[str, float]) -> dict[str, float]:
    """Max load ratio and coefficient of variation of load ratios (reps who stay, capacity > 0)."""
    ratios = [
        load[r["rep_id"]] / r["capacity"] for r in proposal.reps if not r["leaving"] and r["capacity"] > 0
    ]
    if not ratios:
        return {"max_load_ratio": 0.0, "cv": 0.0}
    mean = sum(ratios) / len(ratios)
    std = math.sqrt(sum((x - mean) ** 2 for x in ratios) / len(ratios))
    return {"max_load_ratio": round(max(ratios), 4), "cv": round(std / mean if mean else 0.0, 4)}


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def moves(proposal: RebalanceProposal) -> list[dict[str, Any]]:
    lines = proposal.lines.select_related("account", "from_rep", "to_rep").order_by("account__external_id")
    return [
        {
            "line_id": x.pk,
            "account_id": x.account.external_id,
            "name": x.account.name,
            "from": x.from_rep.external_id,
            "from_name": x.from_rep.name,
            "to": x.to_rep.external_id,
            "to_name": x.to_rep.name,
            "points": float(x.points),
            "cost": round(x.cost, 2),
            "edited": x.edited,
            "transfer_id": x.transfer_id,
        }  # fmt: skip
        for x in lines
    ]


def _rep_row(row: dict[str, Any], load: float, figures: dict[str, dict[str, float]]) -> dict[str, Any]:
    out = {"rep_id": row["rep_id"], "name": row["name"], "load": round(load, 2), "capacity": row["capacity"]}
    return out | {name: round(held[row["rep_id"]], 2) for name, held in figures.items()}


def _figures(proposal: RebalanceProposal) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """(before, after): figure -> rep id -> revenue or potential, for the figures kept."""
    before = {f: {r["rep_id"]: float(r[f]) for r in proposal.reps} for f in BALANCE_FIGURES}
    after = {f: after_figures(proposal, f) for f in BALANCE_FIGURES}
    kept = [f for f in BALANCE_FIGURES if after[f]]
    return {f: before[f] for f in kept}, {f: after[f] for f in kept}


def _balances(proposal: RebalanceProposal, load: dict[str, float], held: dict[str, dict[str, float]]) -> dict:
    """Balance of the load, and of the figure the scenario balances (revenue or potential)."""
    figure = (proposal.options or {}).get("balance")
    extra = {figure: figure_balance(proposal, held[figure])} if figure in held else {}
    return balance_of(proposal, load) | extra


def proposal_json(proposal: RebalanceProposal) -> dict[str, Any]:
    after = after_loads(proposal)
    rows = proposal.reps
    moved = moves(proposal)
    held_before, held_after = _figures(proposal)
    before = {r["rep_id"]: float(r["load"]) for r in rows}
    return {
        "proposal_id": proposal.pk, "scope": proposal.scope, "scope_label": proposal.scope_label,
        "scenario": proposal.scenario, "state": proposal.state, "day": proposal.day.isoformat(),
        "options": proposal.options, "feasible": True, "objective": _rounded(proposal.objective),
        "bound": _rounded(proposal.bound), "gap": _rounded(proposal.gap, 6),
        "bound_kind": proposal.bound_kind,
        "method": proposal.method, "status": proposal.status, "seconds": round(proposal.seconds, 3),
        "greedy_objective": _rounded(proposal.greedy_objective),
        "nothing_objective": _rounded(proposal.nothing_objective),
        "edited": any(m["edited"] for m in moved), "target": round(proposal.target, 4),
        "moves": moved,
        "before": [_rep_row(r, float(r["load"]), held_before) for r in rows],
        "after": [_rep_row(r, after[r["rep_id"]], held_after) for r in rows],
        "balance_before": _balances(proposal, before, held_before),
        "balance_after": _balances(proposal, after, held_after), "left_out": proposal.left_out,
        "effective_date": proposal.effective_date.isoformat() if proposal.effective_date else None,
    }  # fmt: skip


MAX_BARS = 40  # beyond, the chart shows only the reps whose load changes


def loads_chart(proposal: RebalanceProposal) -> dict:
    """Before and after per rep, against capacity."""
    after = after_loads(proposal)
    reps, title = proposal.reps, "Load per rep (points), before and after"
    if len(reps) > MAX_BARS:
        reps = [r for r in reps if abs(after[r["rep_id"]] - float(r["load"])) > 1e-9]
        title = "Load per rep whose book changes (points), before and after"
    names = [r["name"] for r in reps]
    series = {
        "Before": [r["load"] for r in reps],
        "After": [round(after[r["rep_id"]], 2) for r in reps],
        "Capacity": [r["capacity"] for r in reps],
    }
    return bar_chart(title, names, series, yaxis={"title": {"text": "points"}})


def tradeoff_chart(proposals: list[RebalanceProposal]) -> dict:
    """Balance (CV of load ratios after) against disruption (moves), one point per scenario."""
    points: dict[str, list[Any]] = defaultdict(list)
    for p in proposals:
        points["x"].append(p.lines.count())
        points["y"].append(balance_of(p, after_loads(p))["cv"])
        points["text"].append(p.scenario)
    data = [{
        "type": "scatter", "mode": "markers+text", "x": points["x"], "y": points["y"], "text": points["text"],
        "textposition": "top center", "marker": {"size": 12}, "name": "Scenarios",
    }]  # fmt: skip
    layout = {
        "title": {"text": "Balance against disruption", "font": {"size": 14}}, "height": 360,
        "xaxis": {"title": {"text": "accounts moved"}, "rangemode": "tozero"},
        "yaxis": {"title": {"text": "spread of load ratios (CV, lower is more even)"}, "rangemode": "tozero"},
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50}, "showlegend": False,
    }  # fmt: skip
    return {"data": data, "layout": layout}


def scope_size(scope: Scope, day: date) -> int:
    """Accounts held (primary) on `day` by the reps of the scope: how big a solve will be."""
    reps = list(scope_reps(scope, day).values_list("id", flat=True))
    return held_on(day, rep_ids=reps).count() if reps else 0


def batches_for(*, user: Any) -> list[list[RebalanceProposal]]:
    """The user's visible proposals grouped by the batch they were proposed in, newest first."""
    groups: dict[str, list[RebalanceProposal]] = {}
    for p in proposals_for(user=user):
        groups.setdefault(p.batch or f"one:{p.pk}", []).append(p)
    return [sorted(g, key=lambda p: p.pk) for g in groups.values()]


def pins_for(*, user: Any) -> list[dict[str, Any]]:
    """The accounts pinned out of realignment among those the user sees (None: all), by id."""
    pins = RealignmentPin.objects.select_related("account", "pinned_by").order_by("account__external_id")
    if user is not None:
        pins = pins.filter(account__in=visible_accounts(user=user))
    return [
        {"account_id": p.account.external_id, "name": p.account.name, "note": p.note,
         "pinned_by": p.pinned_by.get_username() if p.pinned_by else None,
         "since": p.created_at.date().isoformat()}
        for p in pins
    ]  # fmt: skip
