"""Post-transfer tracking (METRICS.md Transfers), from the ownership history.

A transfer event is a primary assignment whose reason is not `import` and that follows
another primary assignment of the account (a change of owner); t is its start date.
- retained after N months (6, 12): rev > 0 in (t, t + N months]; undefined (pending) until
  t + N months has passed.
- revenue change: rev in (t, t + 12 months] minus rev in (t - 12 months, t]; pending until then.
Comparison (a fair baseline over the same windows): for each transfer, the accounts never
transferred (by the definition above) that had revenue in the 12 calendar months before the
transfer's month, measured over whole calendar months (after N = the transfer's month and the
N - 1 after it); their retention and average revenue change are averaged over the group's
transfers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

import numpy as np
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from bookwise.accounts.models import OrderLine, Ownership
from bookwise.core.dates import add_months
from bookwise.core.money import MoneyField
from bookwise.core.users import Viewer
from bookwise.people.selectors import scope_for

ZERO = Decimal(0)
GROUPS = ("rep", "reason", "period")


@dataclass(frozen=True)
class Event:
    account_id: int
    rep: str
    reason: str
    start: date


def transfer_events(*, user: Viewer | None) -> list[Event]:
    rows = list(
        Ownership.objects.filter(role="primary")
        .order_by("account_id", "start_date")
        .values_list("account_id", "rep_id", "rep__external_id", "reason", "start_date")
    )
    scope = scope_for(user) if user is not None else None
    events, previous = [], None
    for account_id, rep_id, rep_ext, reason, start in rows:
        follows = previous == account_id
        previous = account_id
        if follows and reason != "import" and (scope is None or scope.covers(rep_id)):
            events.append(Event(account_id, rep_ext, reason, start))
    return events


def lines_of(account_ids: set[int]) -> dict[int, list[tuple[date, Decimal]]]:
    """(order date, amount) of the given accounts, in one query."""
    found: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    rows = (
        OrderLine.objects.filter(account_id__in=account_ids)
        .order_by()
        .values_list("account_id", "order_date", "amount")
    )
    for account_id, day, amount in rows:
        found[account_id].append((day, amount))
    return found


def windows(t: date, lines: list[tuple[date, Decimal]]) -> dict[str, Decimal]:
    """rev before (t-12m, t], after6 (t, t+6m], after12 (t, t+12m] (exact, by day)."""
    before, m6, m12 = add_months(t, -12), add_months(t, 6), add_months(t, 12)
    rev = {"before": ZERO, "after6": ZERO, "after12": ZERO}
    for day, amount in lines:
        if before < day <= t:
            rev["before"] += amount
        elif t < day <= m12:
            rev["after12"] += amount
            if day <= m6:
                rev["after6"] += amount
    return rev


class Measure(TypedDict):
    """One transfer's outcome: retained after 6 and 12 months, revenue change (None: pending)."""

    retained_6: bool | None
    retained_12: bool | None
    change: Decimal | None


class CohortMeasure(TypedDict):
    """The comparison cohort's: the share retained and the average revenue change."""

    retained_6: float | None
    retained_12: float | None
    change: Decimal | None


def measure(t: date, rev: dict[str, Decimal], day: date) -> Measure:
    full6, full12 = add_months(t, 6) <= day, add_months(t, 12) <= day
    return {
        "retained_6": (rev["after6"] > 0) if full6 else None,
        "retained_12": (rev["after12"] > 0) if full12 else None,
        "change": (rev["after12"] - rev["before"]) if full12 else None,
    }


class Cohorts:
    """The non-transferred accounts' monthly revenue as a matrix (accounts x months), so the
    comparison for any month is a few vectorised window sums. Windows are whole calendar
    months: before = the 12 months before t's month, after N = t's month and the N - 1 after."""

    def __init__(self, transferred: set[int], first: date, last: date) -> None:
        self.origin = add_months(first.replace(day=1), -12)
        months = _index(self.origin, add_months(last.replace(day=1), 12)) + 1
        rows = (
            OrderLine.objects.filter(
                order_date__gte=self.origin, order_date__lt=add_months(self.origin, months)
            )
            .exclude(account_id__in=transferred)
            .annotate(month=TruncMonth("order_date"))
            .order_by()
            .values_list("account_id", "month")
            .annotate(total=Sum("amount", output_field=MoneyField()))
        )
        data = [(a, _index(self.origin, m), total) for a, m, total in rows]
        ids = {a: k for k, a in enumerate(sorted({a for a, _, _ in data}))}
        matrix = np.zeros((len(ids), months + 1))
        for a, m, total in data:
            matrix[ids[a], m + 1] = float(total)
        self.cumulative = matrix.cumsum(axis=1)  # column j = revenue of months < j
        self.cache: dict[date, CohortMeasure] = {}

    def at(self, t: date, day: date) -> CohortMeasure:
        key = t.replace(day=1)
        if key not in self.cache:
            self.cache[key] = self._compute(key, day)
        return self.cache[key]

    def _compute(self, key: date, day: date) -> CohortMeasure:
        m, c = _index(self.origin, key), self.cumulative
        before = c[:, m] - c[:, max(0, m - 12)]
        base = before > 0
        after6 = c[:, m + 6] - c[:, m]
        after12 = c[:, m + 12] - c[:, m]
        full6, full12 = add_months(key, 6) <= day, add_months(key, 12) <= day
        n = int(base.sum())
        if n == 0:
            return {"retained_6": None, "retained_12": None, "change": None}
        change = float((after12[base] - before[base]).mean())
        return {
            "retained_6": round(float((after6[base] > 0).mean()), 4) if full6 else None,
            "retained_12": round(float((after12[base] > 0).mean()), 4) if full12 else None,
            "change": Decimal(str(round(change, 2))) if full12 else None,
        }


def _index(origin: date, month: date) -> int:
    return (month.year - origin.year) * 12 + month.month - origin.month


def _share(values: list[bool | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(1 for v in known if v) / len(known), 4) if known else None


def _mean(values: list[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return (sum(known, ZERO) / len(known)).quantize(Decimal("0.01")) if known else None


def group_key(event: Event, group: str) -> str:
    if group == "reason":
        return event.reason
    if group == "period":
        return f"{event.start.year}-Q{(event.start.month - 1) // 3 + 1}"
    return event.rep


def tracking_report(*, user: Viewer | None, group: str = "rep", day: date) -> dict[str, Any]:
    """Per group: transfers, retained 6/12 and revenue change, vs the comparison cohort."""
    group = group if group in GROUPS else "rep"
    events = [e for e in transfer_events(user=user) if e.start <= day]
    if not events:
        return {"group_by": group, "day": day.isoformat(), "rows": []}
    transferred = {e.account_id for e in transfer_events(user=None)}
    lines = lines_of({e.account_id for e in events})
    cohorts = Cohorts(transferred, min(e.start for e in events), max(e.start for e in events))
    buckets: dict[str, list[tuple[Measure, CohortMeasure]]] = defaultdict(list)
    for e in events:
        mine = measure(e.start, windows(e.start, lines.get(e.account_id, [])), day)
        buckets[group_key(e, group)].append((mine, cohorts.at(e.start, day)))
    rows = [_row(key, buckets[key]) for key in sorted(buckets)]
    return {"group_by": group, "day": day.isoformat(), "rows": _jsonable(rows)}


def _row(key: str, items: list[tuple[Measure, CohortMeasure]]) -> dict[str, Any]:
    return {
        "group": key,
        "transfers": len(items),
        "retained_6": _share([m["retained_6"] for m, _ in items]),
        "retained_12": _share([m["retained_12"] for m, _ in items]),
        "revenue_change": _total([m["change"] for m, _ in items]),
        "avg_revenue_change": _mean([m["change"] for m, _ in items]),
        "comparison_retained_6": _avg([c["retained_6"] for _, c in items]),
        "comparison_retained_12": _avg([c["retained_12"] for _, c in items]),
        "comparison_avg_revenue_change": _mean([c["change"] for _, c in items]),
    }


def _total(values: list[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, ZERO) if known else None


def _avg(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 4) if known else None


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (f"{v:.2f}" if isinstance(v, Decimal) else v) for k, v in row.items()} for row in rows]
