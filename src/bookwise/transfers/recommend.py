"""Recipient recommendation: rank eligible reps for an account (score rule in scoring.py).

Set-based: one query for the candidates' current holdings, one for their books' revenue and
gross profit over 24 months, plus the tier map; everything else is computed in memory."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, Q, Sum, When

from bookwise.accounts.models import Account, OrderLine, Ownership
from bookwise.accounts.selectors import held_on
from bookwise.core.dates import trailing_12_months
from bookwise.core.money import MoneyField
from bookwise.people.models import Rep, Role
from bookwise.people.selectors import scope_for

from .scoring import Fit, RepFacts, Score, score
from .workload import account_points, compute_loads, points_table

CANDIDATE_ROLES = (Role.HUNTER, Role.ACCOUNT_MANAGER)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Holding:
    rep_id: int
    account_id: int
    role: str
    industry: str
    parent_id: int | None


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
    index: tuple | None = None


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


def candidate_reps(user: Any) -> list[Rep]:
    qs = Rep.objects.filter(role__in=CANDIDATE_ROLES).select_related("territory")
    if user is not None:
        scope = scope_for(user)
        if not scope.everything:
            qs = qs.filter(id__in=scope.rep_ids)
    return list(qs.order_by("external_id"))


def _windows(day: date) -> tuple[date, date, date]:
    now = trailing_12_months(day)
    return now.start - (now.end - now.start) - timedelta(days=1), now.start, now.end


def _revenue_by_account(account_ids: set[int], day: date) -> dict[int, Any]:
    """account id -> its revenue and gross profit over T12M (cur, gp_cur) and the 12 months
    before (prev, gp_prev)."""
    prev_start, start, end = _windows(day)
    money = MoneyField()
    now_q, prev_q = Q(order_date__gte=start), Q(order_date__lt=start)
    rows = (
        OrderLine.objects.filter(account_id__in=account_ids, order_date__gte=prev_start)
        .filter(order_date__lte=end)
        .order_by()
        .values("account_id")
        .annotate(
            cur=Sum(Case(When(now_q, then="amount"), default=0, output_field=money), output_field=money),
            prev=Sum(Case(When(prev_q, then="amount"), default=0, output_field=money), output_field=money),
            gp_cur=Sum(
                Case(When(now_q, then="gross_profit"), default=0, output_field=money), output_field=money
            ),
            gp_prev=Sum(
                Case(When(prev_q, then="gross_profit"), default=0, output_field=money), output_field=money
            ),
        )
    )
    return {r["account_id"]: r for r in rows}


def book_performance(holdings: list[Holding], day: date) -> dict[int, tuple[Decimal | None, Decimal | None]]:
    """rep id -> (NRR of the primary book, GP growth rate) over T12M vs the 12 months before."""
    book = [h for h in holdings if h.role == "primary"]
    by_account = _revenue_by_account({h.account_id for h in book}, day)
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
    for h in book:
        r = by_account.get(h.account_id)
        if r is None:
            continue
        acc = sums[h.rep_id]
        if (r["prev"] or ZERO) > 0:
            acc[0] += max(ZERO, r["cur"] or ZERO)
            acc[1] += r["prev"]
        acc[2] += r["gp_cur"] or ZERO
        acc[3] += r["gp_prev"] or ZERO
    return {
        rep_id: (
            s[0] / s[1] if s[1] > 0 else None,
            (s[2] - s[3]) / s[3] if s[3] > 0 else None,
        )
        for rep_id, s in sums.items()
    }


def build_context(*, user: Any, day: date, tiers: dict[int, str] | None = None) -> Context:
    from .workload import tier_map

    reps = {r.id: r for r in candidate_reps(user)}
    excluded = {rid: reason for rid, r in reps.items() if (reason := exclusion(r, day))}
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
    perf = book_performance(holdings, day)
    facts = {
        rid: RepFacts(
            rid, *perf.get(rid, (None, None)), r.communication, r.flexibility, loads[rid].points, r.capacity
        )
        for rid, r in reps.items()
    }
    return Context(day, reps, excluded, facts, holdings, tiers)


CACHE_SECONDS = 300
_contexts: dict[tuple, tuple[float, Context]] = {}


def data_fingerprint() -> tuple:
    """Cheap summary of the data the context depends on: any write changes it."""
    from django.db.models import Count, Max

    from bookwise.retention.models import RollupState, TierPin

    own = Ownership.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    # no COUNT over the order lines (a third of a second at 5M): the highest id shows new
    # lines, the revenue rollup's refresh time shows corrected ones (every import refreshes it)
    lines = OrderLine.objects.aggregate(top=Max("id"))
    lines["refreshed"] = RollupState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
    reps = Rep.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    pins = TierPin.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return tuple(own.values()) + tuple(lines.values()) + tuple(reps.values()) + tuple(pins.values())


def cached_context(*, user: Any, day: date) -> Context:
    """build_context, memoised in-process for CACHE_SECONDS and keyed by the day, the user's
    scope and a fingerprint of ownerships, order lines, reps and tier pins (so a write shows
    at once). Rep facts are the same for every account of a day: the ranking of one account
    then costs a few queries and the scoring loop."""
    import time

    scope = scope_for(user) if user is not None else None
    who = "all" if scope is None or scope.everything else tuple(sorted(scope.rep_ids))
    key = (day, who, data_fingerprint())
    now = time.monotonic()
    hit = _contexts.get(key)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    ctx = build_context(user=user, day=day)
    ctx.index = relation_index(ctx.holdings)
    if len(_contexts) >= 8:
        _contexts.pop(next(iter(_contexts)))
    _contexts[key] = (now, ctx)
    return ctx


def relation_index(
    holdings: list[Holding],
) -> tuple[dict[str, set[int]], dict[int, set[int]], dict[int, set[int]]]:
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


def fit_for(account: Account, rep: Rep, index: tuple) -> Fit:
    industry, holders, by_parent = index
    related = set(by_parent.get(account.pk, ()))  # holders of its subsidiaries
    if account.parent_id:
        related |= holders.get(account.parent_id, set()) | by_parent.get(account.parent_id, set())
    return Fit(
        territory=bool(account.territory_id and account.territory_id == rep.territory_id),
        industry=bool(account.industry and rep.id in industry.get(account.industry, ())),
        relationship=rep.id in related,
    )


def score_all(ctx: Context, account: Account, index: tuple, skip: set[int]) -> dict[int, Score]:
    added = account_points(ctx.tiers.get(account.pk, "C"), "primary", points_table())
    return {
        rid: score(ctx.facts[rid], fit_for(account, rep, index), added)
        for rid, rep in ctx.reps.items()
        if rid not in skip and rid not in ctx.excluded
    }


def _candidate_row(rep: Rep, s: Score) -> dict[str, Any]:
    return {
        "rep_id": rep.external_id,
        "name": rep.name,
        "score": s.total,
        "parts": s.parts,
        "details": s.details,
    }


def recommend(*, account: Account, user: Any = None, day: date, ctx: Context | None = None) -> dict[str, Any]:
    """Candidates best first (score with parts), the excluded with their reason, and, when
    the best rep would be over capacity, which of their smallest accounts to delegate."""
    from .services import open_owner

    ctx = ctx or cached_context(user=user, day=day)
    owner = open_owner(account, "primary")
    skip = {owner.pk} if owner else set()
    tier = ctx.tiers.get(account.pk, "C")
    added = account_points(tier, "primary", points_table())
    scores = score_all(ctx, account, ctx.index or relation_index(ctx.holdings), skip)
    over = {rid for rid, s in scores.items() if ctx.facts[rid].points + added > ctx.facts[rid].capacity}
    ranked = sorted(scores, key=lambda rid: (-scores[rid].total, ctx.reps[rid].external_id))
    fits = [rid for rid in ranked if rid not in over]
    excluded = [
        {"rep_id": ctx.reps[rid].external_id, "name": ctx.reps[rid].name, "reason": reason}
        for rid, reason in sorted(ctx.excluded.items(), key=lambda kv: ctx.reps[kv[0]].external_id)
        if rid not in skip
    ] + [
        {"rep_id": ctx.reps[rid].external_id, "name": ctx.reps[rid].name, "reason": "over_capacity"}
        for rid in ranked
        if rid in over
    ]
    delegation = None
    if ranked and ranked[0] in over:
        delegation = suggest_delegation(ctx, ranked[0], added, [r for r in fits if r != ranked[0]])
    return {
        "account_id": account.external_id,
        "day": day.isoformat(),
        "tier": tier,
        "points": float(added),
        "current_owner": owner.external_id if owner else None,
        "candidates": [_candidate_row(ctx.reps[rid], scores[rid]) for rid in fits],
        "excluded": excluded,
        "delegation": delegation,
    }


def _move_row(account: tuple[str, str], points: Decimal, revenue: Decimal, to: Rep) -> dict[str, Any]:
    """One account of a delegation: (external id, name), its points and T12M revenue, its receiver."""
    return {
        "account_id": account[0],
        "account_name": account[1],
        "points": float(points),
        "t12m_revenue": str(revenue),
        "to": to.external_id,
        "to_name": to.name,
    }


def suggest_delegation(
    ctx: Context, rep_id: int, added: Decimal, receivers: list[int]
) -> dict[str, Any] | None:
    """The best rep is full: hand their smallest accounts (fewest points, least revenue) to the
    receiver with most headroom until the new account fits."""
    table = points_table()
    facts = ctx.facts[rep_id]
    need = facts.points + added - facts.capacity
    mine = [h.account_id for h in ctx.holdings if h.rep_id == rep_id and h.role == "primary"]
    from bookwise.retention.selectors import revenue_between

    window = trailing_12_months(ctx.day)
    revenue = revenue_between(window.start, window.end, mine)
    smallest = sorted(
        mine, key=lambda a: (account_points(ctx.tiers.get(a, "C"), "primary", table), revenue.get(a, ZERO), a)
    )
    room = {r: Decimal(ctx.facts[r].capacity) - ctx.facts[r].points for r in receivers}
    rows = Account.objects.filter(id__in=smallest[:50]).values_list("id", "external_id", "name")
    names = {pk: (ext, name) for pk, ext, name in rows}
    moves, freed = [], ZERO
    for account_id in smallest[:50]:
        if freed >= need:
            break
        pts = account_points(ctx.tiers.get(account_id, "C"), "primary", table)
        to = max((r for r in room if room[r] >= pts), key=lambda r: room[r], default=None)
        if to is None:
            continue
        room[to] -= pts
        freed += pts
        moves.append(_move_row(names[account_id], pts, revenue.get(account_id, ZERO), ctx.reps[to]))
    if freed < need:
        return None
    rep = ctx.reps[rep_id]
    return {"rep_id": rep.external_id, "rep_name": rep.name, "points_to_free": float(need), "accounts": moves}
