"""Contract coverage (the share of trailing revenue that runs under an agreement in force)
and the retention of contracted against uncontracted accounts (docs/agreements.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import held_on, owners_on
from bookwise.core.dates import add_months, trailing_12_months
from bookwise.people.models import Rep
from bookwise.people.selectors import Scope
from bookwise.retention import metrics
from bookwise.retention.reports import scoped_accounts
from bookwise.retention.selectors import revenue_between

from . import rules
from .models import COUNTING, Agreement
from .selectors import release_lines

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Coverage:
    revenue: Decimal  # trailing 12 months' revenue
    contracted: Decimal  # of which released under an agreement in force on the day

    @property
    def share(self) -> Decimal | None:
        return rules.share(self.contracted, self.revenue)


def account_ids_of(accounts_or_scope: Any, day: date) -> list[int] | None:
    """None (every account) for None or a scope that sees everything; a scope's accounts are
    those its reps hold as primary owner on `day`; else the accounts (or pks) given."""
    if accounts_or_scope is None:
        return None
    if isinstance(accounts_or_scope, Scope):
        if accounts_or_scope.everything:
            return None
        held = held_on(day, rep_ids=accounts_or_scope.rep_ids)
        return list(held.values_list("account_id", flat=True))
    if isinstance(accounts_or_scope, QuerySet):
        return list(accounts_or_scope.values_list("pk", flat=True))
    return [a.pk if isinstance(a, Account) else int(a) for a in accounts_or_scope]


def in_force(day: date, account_ids: Iterable[int] | None = None) -> QuerySet[Agreement]:
    """Agreements active on `day` (status active, start <= day <= end)."""
    qs = Agreement.objects.filter(status="active", start_date__lte=day, end_date__gte=day)
    return qs if account_ids is None else qs.filter(account_id__in=list(account_ids))


def contracted_by_account(day: date, account_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """account pk -> its T12M revenue released under an agreement in force on `day` (the
    release may be a subsidiary's line, counted for the subsidiary)."""
    t12m = trailing_12_months(day)
    ids = None if account_ids is None else set(account_ids)
    agreements = list(in_force(day))
    found: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for lines in release_lines(agreements).values():
        for line in lines:
            if t12m.start <= line.day <= day and (ids is None or line.account in ids):
                found[line.account] += line.amount
    return dict(found)


def contract_coverage(accounts_or_scope: Any, day: date) -> Coverage:
    """The share of the accounts' trailing-12-month revenue (to `day`) released under an
    agreement in force on `day`. `accounts_or_scope`: None (the company), a
    `people.selectors.Scope` (its reps' primary accounts on `day`; a scope that sees
    everything is the company), a queryset of accounts, or an iterable of accounts or pks."""
    ids = account_ids_of(accounts_or_scope, day)
    t12m = trailing_12_months(day)
    revenue = sum(revenue_between(t12m.start, day, ids).values(), ZERO)
    contracted = sum(contracted_by_account(day, ids).values(), ZERO)
    return Coverage(revenue, contracted)


@dataclass(frozen=True)
class CoverageRow:
    group: str
    coverage: Coverage


def coverage_by(*, user: Any, day: date, by: str = "rep") -> list[CoverageRow]:
    """Coverage per primary owner on `day` ("rep") or per territory ("territory") of the
    accounts the user may see, biggest revenue first; the company (or the scope) last."""
    scope = scoped_accounts(user)
    ids = None if scope is None else list(scope.values_list("pk", flat=True))
    t12m = trailing_12_months(day)
    revenue = revenue_between(t12m.start, day, ids)
    contracted = contracted_by_account(day, ids)
    keys = _group_names(by, day, list(revenue))
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for pk, amount in revenue.items():
        group = sums[keys.get(pk) or "(none)"]
        group[0] += amount
        group[1] += contracted.get(pk, ZERO)
    rows = [CoverageRow(k, Coverage(r, c)) for k, (r, c) in sums.items()]
    rows.sort(key=lambda r: (-r.coverage.revenue, r.group))
    total = Coverage(sum(revenue.values(), ZERO), sum(contracted.values(), ZERO))
    return [*rows, CoverageRow("All", total)]


def _group_names(by: str, day: date, account_ids: list[int]) -> dict[int, str]:
    if by == "territory":
        pairs = Account.objects.filter(pk__in=account_ids).values_list("pk", "territory__name")
        return {pk: name for pk, name in pairs if name}
    owners = owners_on(day, account_ids)
    names = dict(Rep.objects.filter(pk__in=set(owners.values())).values_list("pk", "name"))
    return {pk: names[rep] for pk, rep in owners.items()}


@dataclass(frozen=True)
class ContractedRetention:
    start: date  # of the period P (the 12 months to the day)
    previous_start: date  # of P', the 12 months before
    contracted: metrics.RetentionFigures
    uncontracted: metrics.RetentionFigures


def contracted_retention(*, user: Any, day: date) -> ContractedRetention:
    """Logo retention, GRR and NRR over P = the 12 months to `day` against P' = the 12 months
    before, for the accounts that had a (counting) agreement running at any time in P'
    ("contracted") and the others ("uncontracted") (METRICS.md's retention, split in two)."""
    scope = scoped_accounts(user)
    ids = None if scope is None else list(scope.values_list("pk", flat=True))
    p = trailing_12_months(day)
    prev_start, prev_end = add_months(day, -24) + timedelta(days=1), p.start - timedelta(days=1)
    now, before = revenue_between(p.start, day, ids), revenue_between(prev_start, prev_end, ids)
    qs = Agreement.objects.filter(status__in=COUNTING, start_date__lte=prev_end, end_date__gte=prev_start)
    contracted = set(qs.values_list("account_id", flat=True))
    rows = [
        metrics.AccountPeriods(pk, "contracted" if pk in contracted else "uncontracted",
                               now.get(pk, ZERO), before.get(pk, ZERO))
        for pk in set(now) | set(before)
    ]  # fmt: skip
    groups = metrics.retention_by_group(rows)
    empty = metrics.RetentionFigures
    return ContractedRetention(
        p.start, prev_start, groups.get("contracted", empty("contracted")),
        groups.get("uncontracted", empty("uncontracted")),
    )  # fmt: skip


def coverage_by_account(*, day: date) -> dict[int, tuple[Decimal, Decimal]]:
    """account pk -> (T12M revenue under an agreement in force on `day`, T12M revenue), for
    every account with revenue: the per-account form of `contract_coverage` (goals sums it
    over its nodes)."""
    t12m = trailing_12_months(day)
    revenue = revenue_between(t12m.start, day)
    contracted = contracted_by_account(day)
    return {pk: (contracted.get(pk, ZERO), amount) for pk, amount in revenue.items()}
