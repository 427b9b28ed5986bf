"""Recipient recommendation: rank eligible reps for an account (score rule in scoring.py).

Set-based: one query for the candidates' current holdings, one for their books' revenue over
24 months, one for their credited sales, plus the tier map (the context, the same for every
account of a day); then a few grouped queries for the account's own history with each rep
(history.py)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max

from bookwise.accounts.models import Account, Activity, Opportunity, OrderLine, Ownership
from bookwise.accounts.selectors import held_on
from bookwise.core.dates import trailing_12_months
from bookwise.core.memory import gc_paused
from bookwise.core.users import Viewer
from bookwise.people.models import Rep, Role
from bookwise.people.selectors import scope_for
from bookwise.retention.refresh import ensure_fresh
from bookwise.retention.rollup import fetch, money, per_account
from bookwise.retention.selectors import book_version

from .history import Pair, history_facts
from .performance import BookFigures, anchor_day, nrr_estimates, sales_estimates
from .roles import role_filter
from .scoring import DEFAULT_RATING, NO_HISTORY, Fit, History, RepFacts, Score, score
from .services import open_owner
from .workload import account_points, compute_loads, points_table, tier_map

CANDIDATE_ROLES = (Role.HUNTER, Role.ACCOUNT_MANAGER)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Holding:
    rep_id: int
    account_id: int
    role: str
    industry: str
    parent_id: int | None


# (industry -> reps with a primary account in it, account -> its holders,
#  parent account -> holders of its subsidiaries)
RelationIndex = tuple[dict[str, set[int]], dict[int, set[int]], dict[int, set[int]]]


@dataclass
class Context:
    """Everything the score needs about the candidate reps on `day`."""

    day: date
    reps: dict[int, Rep]
    excluded: dict[int, str]
    facts: dict[int, RepFacts]
    holdings: list[Holding]
    tiers: dict[int, str]
    revenue: dict[int, Decimal] = field(default_factory=dict)
    index: RelationIndex | None = None
    anchor: date | None = None


def exclusion(rep: Rep, day: date) -> str | None:
    if rep.end_date is not None and rep.end_date < day:
        return "left"
    if rep.end_date is not None:
        return "leaving"
    if rep.hire_date is not None and rep.hire_date > day:
        return "inactive"
    if rep.capacity <= 0:
        return "no_capacity"
    return None


def candidate_reps(user: Viewer | None) -> list[Rep]:
    qs = Rep.objects.filter(role__in=CANDIDATE_ROLES).select_related("territory")
    if user is not None:
        scope = scope_for(user)
        if not scope.everything:
            qs = qs.filter(id__in=scope.rep_ids)
    return list(qs.order_by("external_id"))


def _windows(day: date) -> tuple[date, date, date]:
    now = trailing_12_months(day)
    return now.start - (now.end - now.start) - timedelta(days=1), now.start, now.end


def book_performance(reps: Iterable[int], held: date, day: date) -> dict[int, BookFigures]:
    """rep id -> their primary book on `held`: its revenue over T12M at `day` and the 12
    months before, over the accounts with revenue before (METRICS.md Retention), and how many
    such accounts. One grouped read: the whole book's sums per account (whole months from the
    retention rollup, the days at the edges from the order lines) joined to the primary
    ownerships in force, summed per rep in the database."""
    prev_start, start, end = _windows(day)
    facts = per_account({"cur": (start, end), "prev": (prev_start, start - timedelta(days=1))},
                        figures_only=True)  # fmt: skip
    owners, params = held_on(held, rep_ids=reps).values("account_id", "rep_id").query.sql_with_params()
    statement = (
        "SELECT h.rep_id, SUM(CASE WHEN f.c0 > 0 THEN f.c0 ELSE 0 END), SUM(f.c1), COUNT(*) "
        f"FROM ({{facts}}) f JOIN ({owners}) h ON h.account_id = f.acc WHERE f.c1 > 0 GROUP BY h.rep_id"
    )
    rows = fetch(*facts.compose(statement, params))
    return {rep: BookFigures(money(cur), money(prev), int(n)) for rep, cur, prev, n in rows}


def without_record(reps: dict[int, Rep]) -> set[int]:
    """Reps with nothing to judge them by: no hire date, and no order line, opportunity,
    activity or account ever. Their every figure would be a default, so they are listed as
    excluded ("no_record") rather than ranked on defaults."""
    unknown = {rid for rid, r in reps.items() if r.hire_date is None}
    for model in (OrderLine, Opportunity, Activity, Ownership):
        if not unknown:
            break
        unknown -= set(model.objects.filter(rep_id__in=unknown).values_list("rep_id", flat=True).distinct())
    return unknown


def team_rating(reps: dict[int, Rep]) -> float:
    """The average of the ratings given (communication and flexibility), for the unrated."""
    given = [v for r in reps.values() for v in (r.communication, r.flexibility) if v is not None]
    return sum(given) / len(given) if given else DEFAULT_RATING


def build_context(*, user: Viewer | None, day: date, tiers: dict[int, str] | None = None) -> Context:
    reps = {r.id: r for r in candidate_reps(user)}
    excluded = {rid: reason for rid, r in reps.items() if (reason := exclusion(r, day))}
    excluded |= {rid: "no_record" for rid in without_record(reps) if rid not in excluded}
    rows = (
        held_on(day, role=None, rep_ids=reps)
        .order_by()
        .values_list("rep_id", "account_id", "role", "account__industry", "account__parent_id")
    )
    holdings = [Holding(*row) for row in rows]
    tiers = tiers if tiers is not None else tier_map(day=day)
    loads = compute_loads(
        [(h.rep_id, h.account_id, h.role) for h in holdings],
        tiers,
        {rid: r.capacity for rid, r in reps.items()},
    )
    anchor = anchor_day(day)
    nrr = nrr_estimates(book_performance(reps, day, anchor), list(reps))
    sales = sales_estimates(reps, anchor)
    rating = team_rating(reps)
    facts = {
        rid: RepFacts(
            rid, nrr[rid], sales[rid], r.communication, r.flexibility, loads[rid].points, r.capacity, rating
        )
        for rid, r in reps.items()
    }
    return Context(day, reps, excluded, facts, holdings, tiers, anchor=anchor)


CACHE_SECONDS = 300
_contexts: dict[tuple[object, ...], tuple[float, Context]] = {}


def data_fingerprint() -> tuple[object, ...]:
    """Cheap summary of the data the context depends on: the book's sign of change
    (retention.selectors.book_version: order lines, their rollup, accounts, ownership, tier
    pins) and the reps."""
    reps = Rep.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (*book_version(), *reps.values())


def cached_context(*, user: Viewer | None, day: date) -> Context:
    """build_context, memoised in-process for CACHE_SECONDS and keyed by the day, the user's
    scope and a fingerprint of ownerships, order lines, reps and tier pins (so a write shows
    at once). Rep facts are the same for every account of a day: the ranking of one account
    then costs a few queries and the scoring loop."""
    scope = scope_for(user) if user is not None else None
    who = "all" if scope is None or scope.everything else tuple(sorted(scope.rep_ids))
    # Lines added without an import: the revenue rollup is brought up to date before the
    # fingerprint (which holds its refresh time) is taken, so the context built now is kept.
    ensure_fresh()
    key = (day, who, data_fingerprint())
    now = time.monotonic()
    hit = _contexts.get(key)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    with gc_paused():  # tens of thousands of small rows, no reference cycles
        ctx = build_context(user=user, day=day)
        ctx.index = relation_index(ctx.holdings)
    if len(_contexts) >= 8:
        _contexts.pop(next(iter(_contexts)))
    _contexts[key] = (now, ctx)
    return ctx


def relation_index(
    holdings: list[Holding],
) -> RelationIndex:
    """(industry -> reps with a primary account in it, account -> its holders,
    parent account -> holders of its subsidiaries)."""
    industry: dict[str, set[int]] = defaultdict(set)
    holders: dict[int, set[int]] = defaultdict(set)
    by_parent: dict[int, set[int]] = defaultdict(set)
    for h in holdings:
        if h.role == "primary" and h.industry:
            industry[h.industry].add(h.rep_id)
        holders[h.account_id].add(h.rep_id)
        if h.parent_id:
            by_parent[h.parent_id].add(h.rep_id)
    return industry, holders, by_parent


def fit_for(account: Account, rep: Rep, index: RelationIndex) -> Fit:
    industry, holders, by_parent = index
    related = set(by_parent.get(account.pk, ()))  # holders of its subsidiaries
    if account.parent_id:
        related |= holders.get(account.parent_id, set()) | by_parent.get(account.parent_id, set())
    return Fit(
        territory=bool(account.territory_id and account.territory_id == rep.territory_id),
        industry=bool(account.industry and rep.id in industry.get(account.industry, ())),
        relationship=rep.id in related,
    )


def score_all(
    ctx: Context,
    account: Account,
    index: RelationIndex,
    skip: set[int],
    history: dict[Pair, History] | None = None,
) -> dict[int, Score]:
    """Every eligible rep's score for the account (its history with them read unless given)."""
    added = account_points(ctx.tiers.get(account.pk, "C"), "primary", points_table())
    reps = [rid for rid in ctx.reps if rid not in skip and rid not in ctx.excluded]
    if history is None:
        history = history_facts([account.pk], reps, ctx.day)
    return {
        rid: score(
            ctx.facts[rid],
            fit_for(account, ctx.reps[rid], index),
            added,
            history.get((account.pk, rid), NO_HISTORY),
        )
        for rid in reps
    }


def _candidate_row(rep: Rep, s: Score, role_note: str) -> dict[str, Any]:
    return {
        "rep_id": rep.external_id,
        "name": rep.name,
        "role": rep.role,
        "score": s.total,
        "score_exact": round(s.exact, 6),
        "parts": s.parts,
        "performance_uncertainty": s.details["performance_uncertainty"],
        "role_fit": role_note,
        "details": s.details,
    }


def _ranked(ctx: Context, scores: dict[int, Score]) -> list[int]:
    """Best first; equal scores by the larger history, then the lower load, then the id."""
    return sorted(
        scores,
        key=lambda rid: (
            -scores[rid].total,
            -scores[rid].parts["history"],
            ctx.facts[rid].points,
            ctx.reps[rid].external_id,
        ),
    )


def _excluded_rows(
    ctx: Context, skip: set[int], ranked: list[int], over: set[int], roles: dict[int, str]
) -> list[dict[str, str]]:
    rows = [
        {"rep_id": ctx.reps[rid].external_id, "name": ctx.reps[rid].name, "reason": reason}
        for rid, reason in sorted(ctx.excluded.items(), key=lambda kv: ctx.reps[kv[0]].external_id)
        if rid not in skip
    ]
    rows += [
        {"rep_id": ctx.reps[rid].external_id, "name": ctx.reps[rid].name, "reason": "over_capacity"}
        for rid in ranked
        if rid in over
    ]
    return rows + [
        {"rep_id": ctx.reps[rid].external_id, "name": ctx.reps[rid].name, "reason": "role", "why": why}
        for rid, why in sorted(roles.items(), key=lambda kv: ctx.reps[kv[0]].external_id)
    ]


def recommend(
    *, account: Account, user: Viewer | None = None, day: date, ctx: Context | None = None
) -> dict[str, Any]:
    """Candidates best first (score with parts), the excluded with their reason, and, when
    the best rep would be over capacity, which of their smallest accounts to delegate."""
    from .delegation import suggest_delegation  # delegation scores with fit_for, defined here

    ctx = ctx or cached_context(user=user, day=day)
    owner = open_owner(account, "primary")
    skip = {owner.pk} if owner else set()
    tier = ctx.tiers.get(account.pk, "C")
    added = account_points(tier, "primary", points_table())
    scores = score_all(ctx, account, ctx.index or relation_index(ctx.holdings), skip)
    over = {rid for rid in scores if ctx.facts[rid].points + added > ctx.facts[rid].capacity}
    fit = role_filter(account, owner, ctx, [rid for rid in scores if rid not in over], day)
    ranked = _ranked(ctx, {rid: s for rid, s in scores.items() if rid not in fit.refused})
    fits = [rid for rid in ranked if rid not in over]
    delegation = None
    if ranked and ranked[0] in over:
        delegation = suggest_delegation(ctx, ranked[0], added, [r for r in fits if r != ranked[0]])
    return {
        "account_id": account.external_id,
        "day": day.isoformat(),
        "performance_as_of": (ctx.anchor or day).isoformat(),
        "tier": tier,
        "points": float(added),
        "current_owner": owner.external_id if owner else None,
        "book_role": fit.book_role,
        "role_note": fit.note,
        "candidates": [_candidate_row(ctx.reps[rid], scores[rid], fit.notes[rid]) for rid in fits],
        "excluded": _excluded_rows(ctx, skip, ranked, over, fit.refused),
        "delegation": delegation,
    }
