"""Retention over consecutive quarters from one grouped query: each account's revenue per
quarter (conditional aggregation), then each quarter against the one before."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bookwise.core.dates import Period

from . import metrics, rollup
from .reports import group_keys, new_account_ids, scoped_accounts


def quarters_ending(last: Period, n: int) -> list[Period]:
    """n calendar quarters ending with `last`, oldest first."""
    result = [last]
    for _ in range(n - 1):
        result.insert(0, result[0].previous())
    return result


@dataclass
class Trend:
    quarters: list[Period]
    by_group: dict[str | None, list[metrics.RetentionFigures]]  # one per quarter
    overall: list[metrics.RetentionFigures]
    revenues: dict[int, tuple[Decimal, Decimal]]  # last quarter: pk -> (rev_P, rev_P')


def quarterly_revenues(quarters: list[Period], scope: Any) -> dict[int, list[Decimal]]:
    """account pk -> revenue per quarter, for the quarter before the first and each of them."""
    spans = [quarters[0].previous(), *quarters]
    sums = rollup.account_sums({f"q{i}": (p.start, p.end) for i, p in enumerate(spans)}, scope)
    return {pk: [s[f"q{i}"] for i in range(len(spans))] for pk, s in sums.items()}


def retention_trend(*, last: Period, quarters: int = 8, by: str = "territory", user: Any = None) -> Trend:
    """Retention per group for each of `quarters` calendar quarters ending with `last`."""
    scope = scoped_accounts(user)
    periods = quarters_ending(last, quarters)
    keys = group_keys(by, last.start, scope)
    revenue = quarterly_revenues(periods, scope)
    new = new_account_ids(last, scope)
    by_group: dict[str | None, list[metrics.RetentionFigures]] = {
        g: [] for g in sorted(set(keys.values()), key=_key)
    }
    overall = []
    for i in range(1, quarters + 1):
        rows = [
            metrics.AccountPeriods(pk, keys[pk], rev[i], rev[i - 1], i == quarters and pk in new)
            for pk, rev in revenue.items()
            if pk in keys and (rev[i] or rev[i - 1] or (i == quarters and pk in new))
        ]
        groups = metrics.retention_by_group(rows)
        for group, series in by_group.items():
            series.append(groups.get(group) or metrics.RetentionFigures(group))
        overall.append(metrics.combine(groups.values()))
    last_revenues = {pk: (rev[-1], rev[-2]) for pk, rev in revenue.items() if pk in keys}
    return Trend(periods, by_group, overall, last_revenues)


def _key(group: str | None) -> tuple[bool, str]:
    return (group is None, group or "")
