"""Delegation: the best rep is full, so some of their smallest accounts go to qualified
colleagues until the new account fits (docs/transfers.md, "Delegation").

Each account to hand over goes to the receiver with room that scores best for *that* account
with the recommendation's own score (performance, skills, fit, history with the account,
headroom), looking first in the delegating rep's team (same manager) or territory, and of
the right role (account managers for an account-manager book); others only when nobody there
has room. The score and why are shown with each move."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bookwise.accounts.models import Account
from bookwise.core.dates import trailing_12_months
from bookwise.people.models import Rep, Role

from .history import Pair, history_facts
from .scoring import NO_HISTORY, History, Score, score
from .workload import account_points, points_table

if TYPE_CHECKING:  # for the annotations only: recommend imports this module
    from .recommend import Context

ZERO = Decimal(0)
MAX_ACCOUNTS = 50


def _near(ctx: Context, rep_id: int, other: int) -> bool:
    """Same team (same manager) or same territory as the delegating rep."""
    a, b = ctx.reps[rep_id], ctx.reps[other]
    return (a.manager_id is not None and a.manager_id == b.manager_id) or (
        a.territory_id is not None and a.territory_id == b.territory_id
    )


def _move_row(
    account: Account, points: Decimal, revenue: Decimal, to: Rep, s: Score, near: bool
) -> dict[str, Any]:
    why = "same team or territory" if near else "nobody in the team or territory has room"
    return {
        "account_id": account.external_id,
        "account_name": account.name,
        "points": float(points),
        "t12m_revenue": str(revenue),
        "to": to.external_id,
        "to_name": to.name,
        "score": s.total,
        "parts": s.parts,
        "why": f"{why}; best score for this account ({s.total:.2f})",
    }


def _best_receiver(ctx: Context, rep_id: int, account: Account, pts: Decimal, room: dict[int, Decimal],
                   history: dict[Pair, History]) -> tuple[int, Score, bool] | None:  # fmt: skip
    from .recommend import fit_for, relation_index

    index = ctx.index or relation_index(ctx.holdings)
    fitting = [r for r in room if room[r] >= pts]
    if not fitting:
        return None
    near = [r for r in fitting if _near(ctx, rep_id, r)]
    managers = [r for r in (near or fitting) if ctx.reps[r].role == Role.ACCOUNT_MANAGER]
    pool = managers or near or fitting
    scored = {
        r: score(
            ctx.facts[r], fit_for(account, ctx.reps[r], index), pts, history.get((account.pk, r), NO_HISTORY)
        )
        for r in pool
    }
    best = max(scored, key=lambda r: (scored[r].total, -ctx.facts[r].points, r))
    return best, scored[best], bool(near)


def suggest_delegation(
    ctx: Context, rep_id: int, added: Decimal, receivers: list[int]
) -> dict[str, Any] | None:
    """The best rep is full: hand their smallest accounts (fewest points, least revenue), each
    to the qualified colleague who scores best for it, until the new account fits."""
    from bookwise.retention.selectors import revenue_between

    table = points_table()
    facts = ctx.facts[rep_id]
    need = facts.points + added - facts.capacity
    mine = [h.account_id for h in ctx.holdings if h.rep_id == rep_id and h.role == "primary"]
    window = trailing_12_months(ctx.day)
    revenue = revenue_between(window.start, window.end, mine)
    smallest = sorted(
        mine, key=lambda a: (account_points(ctx.tiers.get(a, "C"), "primary", table), revenue.get(a, ZERO), a)
    )[:MAX_ACCOUNTS]
    accounts = Account.objects.in_bulk(smallest)
    history = history_facts(smallest, receivers, ctx.day)
    room = {r: Decimal(ctx.facts[r].capacity) - ctx.facts[r].points for r in receivers}
    moves, freed = [], ZERO
    for account_id in smallest:
        if freed >= need:
            break
        pts = account_points(ctx.tiers.get(account_id, "C"), "primary", table)
        found = _best_receiver(ctx, rep_id, accounts[account_id], pts, room, history)
        if found is None:
            continue
        to, s, near = found
        room[to] -= pts
        freed += pts
        moves.append(
            _move_row(accounts[account_id], pts, revenue.get(account_id, ZERO), ctx.reps[to], s, near)
        )
    if freed < need:
        return None
    rep = ctx.reps[rep_id]
    return {"rep_id": rep.external_id, "rep_name": rep.name, "points_to_free": float(need), "accounts": moves}
