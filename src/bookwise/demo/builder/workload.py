"""Capacities sized to each rep's book today, so that a few reps are overloaded.

Points follow METRICS.md Workload (tier by T12M revenue, A 5 / B 2 / C 1 points, a
secondary owner a quarter) as an estimate; the transfers feature computes the real figure."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date
from decimal import Decimal

from bookwise.core.dates import trailing_12_months

from .blueprint import AccountSpec, OrderSpec, RepSpec

POINTS = {"A": 5.0, "B": 2.0, "C": 1.0}
OVERLOADED_REPS = 5


def estimated_tiers(accounts: list[AccountSpec], orders: list[OrderSpec], today: date) -> dict[str, str]:
    window = trailing_12_months(today)
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    for line in orders:
        if line.day in window:
            revenue[line.account] += line.amount
    total = sum((v for v in revenue.values() if v > 0), Decimal(0))
    ranked = sorted(accounts, key=lambda a: (-revenue[a.external_id], a.external_id))
    tiers, before = {}, Decimal(0)
    for account in ranked:
        share = before / total if total else Decimal(1)
        tiers[account.external_id] = (
            "A" if share < Decimal("0.80") else "B" if share < Decimal("0.95") else "C"
        )
        before += max(revenue[account.external_id], Decimal(0))
    return tiers


def _loads(accounts: list[AccountSpec], tiers: dict[str, str], today: date) -> dict[str, float]:
    loads: dict[str, float] = defaultdict(float)
    for account in accounts:
        points = POINTS[tiers[account.external_id]]
        for own in account.ownerships:
            if own.start <= today and (own.end is None or today <= own.end):
                loads[own.rep] += points if own.role == "primary" else points / 4
    return loads


def size_capacities(
    rng: random.Random, reps: list[RepSpec], accounts: list[AccountSpec], orders: list[OrderSpec], today: date
) -> None:
    loads = _loads(accounts, estimated_tiers(accounts, orders, today), today)
    sellers = [r for r in reps if r.role == "account_manager" and r.employed_on(today)]
    loaded = [r for r in sellers if loads.get(r.external_id, 0.0) >= 3]
    heavy = {r.external_id for r in rng.sample(loaded, min(OVERLOADED_REPS, len(loaded)))}
    for rep in reps:
        if rep.role not in ("hunter", "account_manager") or not rep.employed_on(today):
            continue
        load = loads.get(rep.external_id, 0.0)
        if rep.external_id in heavy:  # over capacity by 8 to 30 %
            rep.capacity = max(1, math.floor(load / rng.uniform(1.08, 1.30)))
            continue
        raw = load / rng.uniform(0.60, 0.95)
        rounded = int(round(raw, -1)) if raw >= 50 else math.ceil(raw)
        rep.capacity = max(20 if rep.role == "hunter" else 10, rounded)
