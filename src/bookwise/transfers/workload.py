"""Workload per METRICS.md: tier points per account, load, utilisation, overloaded.

`rep_loads` is set-based: one query for the assignments in force on the day plus the
tier map from retention; `compute_loads` is the pure part (tested without a database)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings

from .models import OPEN_STATES, Transfer

DEFAULT_POINTS = {"A": 5, "B": 2, "C": 1}
DEFAULT_SECONDARY_SHARE = "0.25"


@dataclass(frozen=True)
class RepLoad:
    rep_id: int
    points: Decimal
    capacity: int
    utilisation: Decimal | None  # None when capacity is 0
    overloaded: bool

    @property
    def headroom(self) -> Decimal:
        return Decimal(self.capacity) - self.points


def points_table() -> tuple[dict[str, Decimal], Decimal]:
    """(points by tier, secondary share) from settings.BOOKWISE."""
    cfg = settings.BOOKWISE
    raw: Any = cfg.get("workload_points", DEFAULT_POINTS)
    share = Decimal(str(cfg.get("secondary_points_share", DEFAULT_SECONDARY_SHARE)))
    return {tier: Decimal(str(value)) for tier, value in raw.items()}, share


def account_points(
    tier: str, role: str = "primary", table: tuple[dict[str, Decimal], Decimal] | None = None
) -> Decimal:
    """Points an account of `tier` adds to its owner in `role` (secondary: a quarter)."""
    by_tier, share = table or points_table()
    points = by_tier.get(tier, by_tier.get("C", Decimal(1)))
    return points * share if role == "secondary" else points


def make_load(rep_id: int, points: Decimal, capacity: int) -> RepLoad:
    utilisation = points / Decimal(capacity) if capacity > 0 else None
    overloaded = utilisation > 1 if utilisation is not None else points > 0
    return RepLoad(rep_id, points, capacity, utilisation, overloaded)


def compute_loads(
    holdings: Iterable[tuple[int, int, str]],
    tiers: Mapping[int, str],
    capacities: Mapping[int, int],
    table: tuple[dict[str, Decimal], Decimal] | None = None,
) -> dict[int, RepLoad]:
    """holdings: (rep id, account id, role); tiers: account id -> tier (missing = C)."""
    table = table or points_table()
    totals: dict[int, Decimal] = {rep_id: Decimal(0) for rep_id in capacities}
    for rep_id, account_id, role in holdings:
        if rep_id in totals:
            totals[rep_id] += account_points(tiers.get(account_id, "C"), role, table)
    return {rep_id: make_load(rep_id, totals[rep_id], capacities[rep_id]) for rep_id in capacities}


def tier_map(*, day: date, account_ids: Iterable[int] | None = None) -> dict[int, str]:
    """account pk -> tier letter, from the retention engineer's `account_tiers`."""
    from bookwise.retention.selectors import account_tiers

    ids = None if account_ids is None else list(account_ids)
    return {pk: info.tier for pk, info in account_tiers(day=day, account_ids=ids).items()}


def rep_loads(
    *, day: date, rep_ids: Iterable[int] | None = None, tiers: Mapping[int, str] | None = None
) -> dict[int, RepLoad]:
    """rep pk -> RepLoad on `day` for the given reps (all reps when None); `tiers` (account
    pk -> tier) saves the tier computation when the caller already has it."""
    from bookwise.accounts.selectors import held_on
    from bookwise.people.models import Rep

    reps = Rep.objects.all()
    ids = None if rep_ids is None else list(rep_ids)
    held = held_on(day, role=None, rep_ids=ids)
    if ids is not None:
        reps = reps.filter(id__in=ids)
    capacities = dict(reps.values_list("id", "capacity"))
    holdings = list(held.values_list("rep_id", "account_id", "role"))
    if tiers is None:
        tiers = tier_map(day=day, account_ids={a for _, a, _ in holdings}) if holdings else {}
    return compute_loads(holdings, tiers, capacities)


@dataclass(frozen=True)
class WorkloadView:
    """Tiers and loads on one day (a plan's effective date), the one view a mass reassignment
    is proposed, checked and applied with. A rep's load counts the ownerships in force on
    the day plus the accounts of open transfers into them (they arrive when completed)."""

    day: date
    tiers: Mapping[int, str]
    loads: Mapping[int, RepLoad]
    table: tuple[dict[str, Decimal], Decimal]

    def points(self, account_id: int, role: str = "primary") -> Decimal:
        return account_points(self.tiers.get(account_id, "C"), role, self.table)


def workload_view(*, day: date) -> WorkloadView:
    tiers = tier_map(day=day)
    table = points_table()
    loads = dict(rep_loads(day=day, tiers=tiers))
    incoming = Transfer.objects.filter(state__in=OPEN_STATES).values_list("to_rep_id", "account_id", "role")
    for rep_id, account_id, role in incoming:
        if rep_id in loads:
            load = loads[rep_id]
            points = load.points + account_points(tiers.get(account_id, "C"), role, table)
            loads[rep_id] = make_load(rep_id, points, load.capacity)
    return WorkloadView(day, tiers, loads, table)
