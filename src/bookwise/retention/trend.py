"""Retention over consecutive quarters from one grouped query: each account's revenue per
quarter (conditional aggregation), then each quarter against the one before."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from bookwise.accounts.models import Account
from bookwise.core.dates import Period
from bookwise.core.users import Viewer

from . import grouped, metrics, rollup
from .reports import group_keys, new_account_ids, scoped_accounts

GROUP_FIELDS = {"territory": "territory__name", "region": "territory__region__name"}
CHUNK = 500  # ids per IN list


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


def _figures(group: str | None, step: dict[str, int] | None, new: int) -> metrics.RetentionFigures:
    if step is None:
        return metrics.RetentionFigures(group, new_accounts=new)
    return metrics.RetentionFigures(
        group,
        base_accounts=int(step["base"] or 0),
        retained_accounts=int(step["retained"] or 0),
        lost_accounts=int(step["base"] or 0) - int(step["retained"] or 0),
        new_accounts=new,
        base_revenue=rollup.money(step["base_rev"]),
        gross_retained=rollup.money(step["gross"]),
        retained_revenue=rollup.money(step["retained_rev"]),
        period_revenue=rollup.money(step["period_rev"]),
        lost_revenue=rollup.money(step["lost_rev"]),
    )


def retention_trend(
    *, last: Period, quarters: int = 8, by: str = "territory", user: Viewer | None = None
) -> Trend:
    """Retention per group (territory, region or overall) for each of `quarters` calendar
    quarters ending with `last`, each against the quarter before: one grouped statement over
    whole quarters of the rollup."""
    scope = scoped_accounts(user)
    periods = quarters_ending(last, quarters)
    spans = [periods[0].previous(), *periods]
    steps = grouped.grouped_steps([(p.start, p.end) for p in spans], by, scope)
    groups, new_by_group = _groups_and_new(by, last, scope)
    by_group = {}
    for group in sorted(groups, key=_key):
        series = steps.get(group)
        by_group[group] = [
            _figures(
                group, series[i] if series else None, new_by_group.get(group, 0) if i == quarters - 1 else 0
            )
            for i in range(quarters)
        ]
    overall = [metrics.combine(figures[i] for figures in by_group.values()) for i in range(quarters)]
    return Trend(periods, by_group, overall)


def _groups_and_new(
    by: str, last: Period, scope: QuerySet[Account] | None
) -> tuple[set[str | None], dict[str | None, int]]:
    """Every group with an account in scope, and the number of new accounts in `last` per group."""
    if by not in GROUP_FIELDS:
        keys = group_keys(by, last.start, scope)
        new_by_group: dict[str | None, int] = {}
        for pk in new_account_ids(last, scope):
            new_by_group[keys.get(pk)] = new_by_group.get(keys.get(pk), 0) + 1
        return set(keys.values()), new_by_group
    field = GROUP_FIELDS[by]
    accounts = Account.objects.order_by() if scope is None else scope.order_by()
    groups = set(accounts.values_list(field, flat=True).distinct())
    counts = grouped.new_by_group(last.start, last.end, by, scope)
    if counts is None:
        counts = {}
        new = sorted(new_account_ids(last, scope))
        for i in range(0, len(new), CHUNK):
            for group in Account.objects.filter(id__in=new[i : i + CHUNK]).values_list(field, flat=True):
                counts[group] = counts.get(group, 0) + 1
    return groups, counts


def _key(group: str | None) -> tuple[bool, str]:
    return (group is None, group or "")
