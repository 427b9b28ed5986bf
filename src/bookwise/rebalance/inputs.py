"""The rebalancing problem of a scope, read from the database: reps, their workload
(transfers.workload, METRICS.md), the accounts that may move and what moving each costs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from bookwise.accounts.models import Account, AccountStatus, OrderLine
from bookwise.accounts.selectors import held_on
from bookwise.core.dates import trailing_12_months
from bookwise.people.models import Rep, Role
from bookwise.retention.selectors import revenue_between
from bookwise.transfers.models import OPEN_STATES, Transfer
from bookwise.transfers.workload import WorkloadView, workload_view

from .models import RealignmentPin
from .problem import Problem, Settings, Unit
from .problem import Rep as Slot
from .scopes import Scope, scope_reps

TIER_COST = {"A": 3.0, "B": 1.5, "C": 1.0}
TENURE_STEP = 0.2  # per year with the current owner, up to 5 years
RECENT_ORDERS = 1.0  # when the owner closed an order in the last 12 months


def hunter_window_days() -> int:
    value: Any = settings.BOOKWISE.get("rebalance_hunter_window_days", 365)
    return int(value)


@dataclass
class Inputs:
    problem: Problem
    reps: dict[int, Rep]
    accounts: dict[int, Account]
    units: dict[int, list[int]]  # unit (its first account's pk) -> account pks
    view: WorkloadView
    left_out: list[dict[str, str]] = field(default_factory=list)


def _movable(owned: dict[int, int], day: date) -> tuple[dict[int, Account], list[dict[str, str]]]:
    """Accounts of the scope that may move, and those left out with the reason."""
    accounts = Account.objects.filter(id__in=owned, status=AccountStatus.ACTIVE).select_related(
        "realignment_pin"
    )
    pinned = set(RealignmentPin.objects.filter(account_id__in=owned).values_list("account_id", flat=True))
    busy = set(
        Transfer.objects.filter(account_id__in=owned, state__in=OPEN_STATES).values_list(
            "account_id", flat=True
        )
    )
    keep, left = {}, []
    for account in accounts:
        reason = (
            "pinned out of realignment"
            if account.pk in pinned
            else "open transfer"
            if account.pk in busy
            else ""
        )
        if reason:
            left.append({"account_id": account.external_id, "name": account.name, "reason": reason})
        else:
            keep[account.pk] = account
    return keep, sorted(left, key=lambda x: x["account_id"])


def _families(accounts: dict[int, Account], owned: dict[int, int], split: bool) -> dict[int, list[int]]:
    """Units: a parent and its subsidiaries with one owner move together (unless split)."""
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for pk, account in accounts.items():
        root = account.parent_id or pk
        key = (pk,) if split else (root, owned[pk])
        groups[key].append(pk)
    return {min(members): sorted(members) for members in groups.values()}


def _recent_closers(account_ids: list[int], day: date) -> set[tuple[int, int]]:
    window = trailing_12_months(day)
    lines = OrderLine.objects.filter(
        account_id__in=account_ids,
        order_date__gte=window.start,
        order_date__lte=window.end,
        rep__isnull=False,
    )
    return set(lines.values_list("account_id", "rep_id"))


def _move_cost(
    pk: int, owner: Rep, view: WorkloadView, since: dict[int, date], closers: set, day: date
) -> float:
    """Tier factor x (1 + 0.2 per year with the owner, up to 5) + 1 when the owner closed an
    order in the last 12 months; 0 when the owner is leaving."""
    if owner.end_date is not None:
        return 0.0
    years = min(5.0, (day - since.get(pk, day)).days / 365.25)
    cost = TIER_COST.get(view.tiers.get(pk, "C"), 1.0) * (1.0 + TENURE_STEP * years)
    return cost + (RECENT_ORDERS if (pk, owner.pk) in closers else 0.0)


def build(scope: Scope, day: date, config: Settings, split: bool = False) -> Inputs:
    reps = {r.pk: r for r in scope_reps(scope, day)}
    held = held_on(day, rep_ids=list(reps)).values_list("account_id", "rep_id", "start_date")
    owned = {a: r for a, r, _ in held}
    since = {a: s for a, _, s in held}
    accounts, left = _movable(owned, day)
    view = workload_view(day=day)
    families = _families(accounts, owned, split)
    closers = _recent_closers(list(accounts), day)
    t12m = trailing_12_months(day)
    revenue = revenue_between(t12m.start, t12m.end, list(owned))
    potential = _potentials(list(owned))
    window = day - timedelta(days=hunter_window_days())
    units = []
    for first, members in families.items():
        owner = reps[owned[first]]
        units.append(
            _unit(first, members, owner, accounts, view, since, closers, (revenue, potential), window, day)
        )
    fixed = _fixed_figures(owned, accounts, revenue, potential)
    slots = tuple(_slot(rep, view, units, fixed[rep.pk]) for rep in reps.values())
    problem = Problem(reps=slots, units=tuple(units), settings=config)
    return Inputs(problem, reps, accounts, families, view, left)


def _potentials(account_ids: list[int]) -> dict[int, Decimal]:
    """account pk -> potential revenue (the annual wallet; 0 when not known)."""
    rows = Account.objects.filter(id__in=account_ids).values_list("id", "potential_revenue")
    return {pk: value or Decimal(0) for pk, value in rows}


def _fixed_figures(
    owned: dict[int, int], accounts: dict[int, Account], revenue: dict[int, Decimal],
    potential: dict[int, Decimal],
) -> dict[int, tuple[float, float]]:  # fmt: skip
    """rep pk -> (revenue, potential) of the accounts they hold that do not move (pinned, with
    an open transfer, not active)."""
    fixed: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for pk, rep_pk in owned.items():
        if pk not in accounts:
            fixed[rep_pk][0] += revenue.get(pk, Decimal(0))
            fixed[rep_pk][1] += potential.get(pk, Decimal(0))
    return defaultdict(lambda: (0.0, 0.0), {r: (float(a), float(b)) for r, (a, b) in fixed.items()})


def _unit(first, members, owner, accounts, view, since, closers, money, window, day) -> Unit:  # noqa: ANN001
    head = accounts[first]
    revenue, potential = money
    return Unit(
        id=first,
        owner=owner.pk,
        points=float(sum(view.points(pk) for pk in members)),
        members=tuple(members),
        revenue=float(sum(revenue.get(pk, Decimal(0)) for pk in members)),
        potential=float(sum(potential.get(pk, Decimal(0)) for pk in members)),
        cost=sum(_move_cost(pk, owner, view, since, closers, day) for pk in members),
        territory=head.territory_id,
        new=all(
            accounts[pk].created_date is not None and accounts[pk].created_date >= window for pk in members
        ),
    )


def _slot(rep: Rep, view: WorkloadView, units: list[Unit], fixed: tuple[float, float]) -> Slot:
    total = float(view.loads[rep.pk].points) if rep.pk in view.loads else 0.0
    moving = sum(u.points for u in units if u.owner == rep.pk)
    return Slot(
        id=rep.pk,
        capacity=float(rep.capacity),
        fixed_load=total - moving,
        territory=rep.territory_id,
        hunter=rep.role == Role.HUNTER,
        leaving=rep.end_date is not None,
        fixed_revenue=fixed[0],
        fixed_potential=fixed[1],
    )
