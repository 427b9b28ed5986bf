"""Reads of the rebalance pages: scenarios side by side (balance against disruption, the
solver's figures), a proposal's reps before and after, its moves with the revenue they carry,
and the reps a move may be given to instead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bookwise.core.charts import colour_for
from bookwise.core.numbers import display_percent
from bookwise.people.models import Rep, Role
from bookwise.people.selectors import scope_for

from .inputs import hunter_window_days
from .models import RebalanceProposal
from .scopes import may_see, parse_scope, scope_reps, team_manager_id
from .selectors import after_loads, balance_of, revenue_by_account

NOTHING = "Doing nothing"


@dataclass(frozen=True)
class ScenarioRow:
    proposal: RebalanceProposal
    moves: int
    revenue_moved: Decimal
    before: dict[str, float]  # max_load_ratio, cv
    after: dict[str, float]


def scenario_rows(proposals: list[RebalanceProposal]) -> list[ScenarioRow]:
    rows = []
    for p in proposals:
        before = balance_of(p, {r["rep_id"]: float(r["load"]) for r in p.reps})
        after = balance_of(p, after_loads(p))
        revenue = sum(revenue_by_account(p).values(), Decimal(0))
        rows.append(ScenarioRow(p, p.lines.count(), revenue, before, after))
    return rows


def batch_proposals(*, user: Any, batch: str) -> list[RebalanceProposal]:
    """The scenarios proposed together, those the user may see, in the order proposed."""
    if not batch:
        return []
    found = list(RebalanceProposal.objects.filter(batch=batch).order_by("id"))
    return [p for p in found if may_see(user, p.scope, team_manager_id(p.scope))]


def _scatter(rows: list[ScenarioRow], x_of: Any, x_title: str, title: str, money: bool) -> dict:
    first = rows[0]
    xs = [0.0, *(float(x_of(r)) for r in rows)]
    ys = [first.before["cv"], *(r.after["cv"] for r in rows)]
    names = [NOTHING, *(r.proposal.scenario for r in rows)]
    data = [{
        "type": "scatter", "mode": "markers+text", "x": xs, "y": ys, "text": names,
        "textposition": "top center", "cliponaxis": False, "name": "Scenarios",
        "marker": {"size": 13, "color": [colour_for(n) for n in names]},
        "hovertemplate": "%{text}<br>" + x_title + ": %{x:,.2f}<br>spread (CV): %{y:.3f}<extra></extra>"
        if money else "%{text}<br>" + x_title + ": %{x:,}<br>spread (CV): %{y:.3f}<extra></extra>",
    }]  # fmt: skip
    wide, high = max(xs) or 1.0, max(ys) or 1.0  # room around the points for their names
    layout = {
        "title": {"text": title, "font": {"size": 14}}, "height": 380, "showlegend": False,
        "xaxis": {"title": {"text": x_title}, "range": [-0.12 * wide, 1.25 * wide], "automargin": True,
                  "tickformat": ",.0f" if money else ",d", "zeroline": True},
        "yaxis": {"title": {"text": "spread of load ratios (CV, lower is more even)"},
                  "range": [0, 1.2 * high], "automargin": True},
        "margin": {"l": 70, "r": 30, "t": 50, "b": 60},
    }  # fmt: skip
    return {"data": data, "layout": layout}


def tradeoff_charts(rows: list[ScenarioRow]) -> list[dict]:
    """Balance after (CV) against accounts moved, and against revenue moved; doing nothing is
    the point at zero."""
    if not rows:
        return []
    moves = _scatter(rows, lambda r: r.moves, "accounts moved", "Balance against accounts moved", False)
    revenue = _scatter(
        rows, lambda r: r.revenue_moved, "revenue moved (12 months)", "Balance against revenue moved", True
    )
    return [moves, revenue]


def rep_rows(proposal: RebalanceProposal) -> list[dict[str, Any]]:
    """Each rep of the scope: load before and after (points and share of capacity), the change
    and whether it ends inside the band (target ± tolerance)."""
    after = after_loads(proposal)
    tolerance = float(proposal.options.get("tolerance", 0.10))
    rows = []
    for r in proposal.reps:
        cap, load, new = float(r["capacity"]), float(r["load"]), after[r["rep_id"]]
        low, high = (
            (0.0, 0.0)
            if r["leaving"]
            else ((proposal.target - tolerance) * cap, (proposal.target + tolerance) * cap)
        )
        rows.append({
            "name": r["name"], "rep_id": r["rep_id"], "capacity": cap, "leaving": r["leaving"],
            "before": load, "after": round(new, 2), "change": round(new - load, 2),
            "before_ratio": load / cap if cap else None, "after_ratio": new / cap if cap else None,
            "in_band": low - 1e-9 <= new <= high + 1e-9,
        })  # fmt: skip
    return rows


def recipients(proposal: RebalanceProposal, user: Any) -> list[dict[str, Any]]:
    """The reps a move may be given to: hunters and account managers of the scope employed on
    the proposal's day, not leaving, with capacity, that the user may see; each with their
    load once the proposal's moves are made."""
    seen = scope_for(user)
    after = after_loads(proposal)
    reps = scope_reps(parse_scope(proposal.scope), proposal.day).filter(end_date__isnull=True, capacity__gt=0)
    out = []
    for rep in reps.order_by("name"):
        if not seen.covers(rep.pk):
            continue
        load = after.get(rep.external_id)
        used = (
            f"{display_percent(load / rep.capacity, 0)} loaded after"
            if load is not None
            else "outside the proposal"
        )
        out.append({"rep": rep, "id": rep.external_id, "label": f"{rep.name} ({used})"})
    return out


def options_for(line: Any, reps: list[dict[str, Any]], proposal: RebalanceProposal) -> list[dict[str, Any]]:
    """The recipients a line may go to: not its owner, and hunters only for accounts won
    inside the hand-over window."""
    since = proposal.day - timedelta(days=hunter_window_days())
    won = line.account.created_date
    new = won is not None and won >= since
    return [
        r for r in reps
        if r["rep"].pk != line.from_rep_id and (new or r["rep"].role != Role.HUNTER)
    ]  # fmt: skip


def rep_named(proposal: RebalanceProposal, rep_id: str, user: Any) -> Rep | None:
    """The recipient the page's select sent, if it is one the user may pick."""
    for r in recipients(proposal, user):
        if r["id"] == rep_id:
            return r["rep"]
    return None
