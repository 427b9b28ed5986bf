"""Post-transfer tracking (METRICS.md Transfers), from the ownership history.

A transfer event is a primary assignment whose reason is not `import` and that follows
another primary assignment of the account (a change of owner); t is its start date.
- retained after N months (6, 12): rev > 0 in (t, t + N months]; undefined (pending) until
  t + N months has passed.
- revenue change: rev in (t, t + 12 months] minus rev in (t - 12 months, t]; pending until then.
Comparison (a fair baseline over the same windows): for each transfer, the accounts never
transferred in (t - 12 months, t + 12 months] that had revenue in the 12 months before t,
with t aligned to the first day of the transfer's month; their retention and average revenue
change are averaged over the group's transfers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, Q, Sum, When

from bookwise.accounts.models import OrderLine, Ownership
from bookwise.core.dates import add_months
from bookwise.core.money import MoneyField
from bookwise.people.selectors import scope_for

ZERO = Decimal(0)
GROUPS = ("rep", "reason", "period")


@dataclass(frozen=True)
class Event:
    account_id: int
    rep: str
    reason: str
    start: date


def transfer_events(*, user: Any) -> list[Event]:
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


def _sum(q: Q) -> Sum:
    money = MoneyField()
    return Sum(Case(When(q, then="amount"), default=0, output_field=money), output_field=money)


def windows(
    t: date, account_ids: list[int] | None, exclude: frozenset[int] | set[int] = frozenset()
) -> dict[int, dict]:
    """account -> rev before (t-12m, t], after6 (t, t+6m], after12 (t, t+12m]."""
    before, m6, m12 = add_months(t, -12), add_months(t, 6), add_months(t, 12)
    qs = OrderLine.objects.filter(order_date__gt=before, order_date__lte=m12)
    if account_ids is not None:
        qs = qs.filter(account_id__in=account_ids)
    rows = (
        qs.order_by()
        .values("account_id")
        .annotate(
            before=_sum(Q(order_date__lte=t)),
            after6=_sum(Q(order_date__gt=t, order_date__lte=m6)),
            after12=_sum(Q(order_date__gt=t)),
        )
    )
    return {r["account_id"]: dict(r) for r in rows if r["account_id"] not in exclude}


def measure(t: date, rev: dict | None, day: date) -> dict[str, Any]:
    rev = rev or {"before": ZERO, "after6": ZERO, "after12": ZERO}
    full6, full12 = add_months(t, 6) <= day, add_months(t, 12) <= day
    return {
        "retained_6": (rev["after6"] > 0) if full6 else None,
        "retained_12": (rev["after12"] > 0) if full12 else None,
        "change": (rev["after12"] - rev["before"]) if full12 else None,
    }


def cohort(t: date, transferred: set[int], day: date, cache: dict) -> dict[str, Any]:
    """Share retained and average revenue change of the non-transferred accounts at month t."""
    key = t.replace(day=1)
    if key not in cache:
        revs = [r for r in windows(key, None, transferred).values() if r["before"] > 0]
        ms = [measure(key, r, day) for r in revs]
        cache[key] = {
            "retained_6": _share([m["retained_6"] for m in ms]),
            "retained_12": _share([m["retained_12"] for m in ms]),
            "change": _mean([m["change"] for m in ms]),
            "accounts": len(ms),
        }
    return cache[key]


def _share(values: list) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(1 for v in known if v) / len(known), 4) if known else None


def _mean(values: list) -> Decimal | None:
    known = [v for v in values if v is not None]
    return (sum(known, ZERO) / len(known)).quantize(Decimal("0.01")) if known else None


def group_key(event: Event, group: str) -> str:
    if group == "reason":
        return event.reason
    if group == "period":
        return f"{event.start.year}-Q{(event.start.month - 1) // 3 + 1}"
    return event.rep


def tracking_report(*, user: Any, group: str = "rep", day: date) -> dict[str, Any]:
    """Per group: transfers, retained 6/12 and revenue change, vs the comparison cohort."""
    group = group if group in GROUPS else "rep"
    events = [e for e in transfer_events(user=user) if e.start <= day]
    transferred = {e.account_id for e in transfer_events(user=None)}
    cache: dict = {}
    buckets: dict[str, list] = defaultdict(list)
    for e in events:
        rev = windows(e.start, [e.account_id]).get(e.account_id)
        buckets[group_key(e, group)].append(
            (measure(e.start, rev, day), cohort(e.start, transferred, day, cache))
        )
    rows = []
    for key in sorted(buckets):
        items = buckets[key]
        rows.append(
            {
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
        )
    return {"group_by": group, "day": day.isoformat(), "rows": _jsonable(rows)}


def _total(values: list) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, ZERO) if known else None


def _avg(values: list) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 4) if known else None


def _jsonable(rows: list[dict]) -> list[dict]:
    return [{k: (f"{v:.2f}" if isinstance(v, Decimal) else v) for k, v in row.items()} for row in rows]
