"""Retention and lost-account reports (METRICS.md Retention), scoped to a user.

The database sums each account's order lines in P and P' in one grouped query
(conditional aggregation); the per-group formulas are the pure `metrics` rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import held_on, owners_on, visible_accounts
from bookwise.core.dates import Period
from bookwise.core.errors import RuleViolation
from bookwise.core.users import Viewer
from bookwise.people.selectors import scope_for

from . import grouped, metrics, rollup

GROUPINGS = ("territory", "region", "rep", "overall")
OVERALL = "overall"
ZERO = Decimal("0.00")


def scoped_accounts(user: Viewer | None) -> QuerySet[Account] | None:
    """None = everything (an operator or a user who sees the whole book)."""
    if user is None or scope_for(user).everything:
        return None
    return visible_accounts(user=user)


def period_revenues(
    period: Period, scope: QuerySet[Account] | None, *, figures_only: bool = False
) -> dict[int, tuple[Decimal, Decimal]]:
    """account pk -> (rev_P, rev_P') for accounts with lines in P' or P (with `figures_only`,
    maybe others too, with zeros: see rollup.per_account)."""
    prev = period.previous()
    ranges = {"p": (period.start, period.end), "prev": (prev.start, prev.end)}
    sums = rollup.account_sums(ranges, scope, figures_only=figures_only)
    return {pk: (s["p"], s["prev"]) for pk, s in sums.items()}


def new_account_ids(period: Period, scope: QuerySet[Account] | None) -> set[int]:
    """Accounts whose first order line ever is dated inside P (`grouped.new_in`)."""
    return grouped.new_in(period.start, period.end, scope)


def group_keys(by: str, day: date, scope: QuerySet[Account] | None) -> dict[int, str | None]:
    """account pk -> its group for every account in scope."""
    if by not in GROUPINGS:
        raise RuleViolation(f"Unknown grouping {by!r} (use {', '.join(GROUPINGS)}).", {"field": "by"})
    accounts = Account.objects.order_by() if scope is None else scope.order_by()
    if by == "rep":
        owners = owners_on(day, value="rep__external_id")
        return {pk: owners.get(pk) for pk in accounts.values_list("id", flat=True)}
    if by == "overall":
        return dict.fromkeys(accounts.values_list("id", flat=True), OVERALL)
    field = "territory__name" if by == "territory" else "territory__region__name"
    return dict(accounts.values_list("id", field))


def _sort_key(figures: metrics.RetentionFigures) -> tuple[bool, str]:
    return (figures.group is None, figures.group or "")


def retention_report(
    *, period: Period, by: str = "territory", user: Viewer | None = None
) -> list[metrics.RetentionFigures]:
    """Retention figures of P against P' per group (every group with an account in scope;
    accounts without a territory, region or owner on P.start form the null group)."""
    if by not in GROUPINGS:
        raise RuleViolation(f"Unknown grouping {by!r} (use {', '.join(GROUPINGS)}).", {"field": "by"})
    prev = period.previous()
    sums = grouped.period_figures(
        (period.start, period.end), (prev.start, prev.end), by, scoped_accounts(user)
    )
    result = [figures_from_cents(group, s) for group, s in sums.items()]
    return sorted(result, key=_sort_key)


def figures_from_cents(group: str | None, sums: dict[str, int]) -> metrics.RetentionFigures:
    """RetentionFigures of a group from its sums in cents (grouped.STEP_FIGURES and `new`):
    the only Decimals made, a handful per group."""
    money = rollup.money
    return metrics.RetentionFigures(
        group,
        base_accounts=sums["base"],
        retained_accounts=sums["retained"],
        lost_accounts=sums["base"] - sums["retained"],
        new_accounts=sums["new"],
        base_revenue=money(sums["base_rev"]),
        gross_retained=money(sums["gross"]),
        retained_revenue=money(sums["retained_rev"]),
        period_revenue=money(sums["period_rev"]),
        lost_revenue=money(sums["lost_rev"]),
    )


@dataclass(frozen=True)
class LostAccount:
    account: Account
    prior_revenue: Decimal
    owner_id: str | None
    owner_name: str | None
    cause: str

    @property
    def territory(self) -> str | None:
        return self.account.territory.name if self.account.territory else None

    @property
    def reason(self) -> str:
        return self.account.lost_reason


def lost_accounts(*, period: Period, user: Viewer | None = None) -> list[LostAccount]:
    """The lost accounts of P (B minus R), largest prior revenue first."""
    prev = period.previous()
    revenues = grouped.lost_revenues(
        (period.start, period.end), (prev.start, prev.end), scoped_accounts(user)
    )
    return lost_from_revenues(period, revenues)


def lost_from_revenues(period: Period, revenues: dict[int, tuple[Decimal, Decimal]]) -> list[LostAccount]:
    """Lost accounts from account pk -> (rev_P, rev_P'), with owner on P.start and cause."""
    lost = {pk: prev for pk, (rev_p, prev) in revenues.items() if prev > 0 and rev_p <= 0}
    owners = {
        pk: (ext, name)
        for pk, ext, name in held_on(period.start, account_ids=lost).values_list(
            "account_id", "rep__external_id", "rep__name"
        )
    }
    accounts = Account.objects.filter(id__in=list(lost)).select_related("territory__region")
    rows = [
        LostAccount(
            account=a,
            prior_revenue=lost[a.pk],
            owner_id=owners.get(a.pk, (None, None))[0],
            owner_name=owners.get(a.pk, (None, None))[1],
            cause=metrics.lost_cause(a.lost_reason),
        )
        for a in accounts
    ]
    return sorted(rows, key=lambda r: (-r.prior_revenue, r.account.external_id))


@dataclass
class LostTotals:
    by_cause: dict[str, tuple[int, Decimal]]
    by_reason: dict[str, tuple[int, Decimal]]


def lost_totals(rows: list[LostAccount]) -> LostTotals:
    return _totals((row.reason, row.prior_revenue) for row in rows)


def _totals(rows: Iterable[tuple[str, Decimal]]) -> LostTotals:
    """Count and prior revenue by cause and by reason, from (lost reason, rev_P') pairs."""
    by_cause = {cause: (0, ZERO) for cause in metrics.CAUSES}
    by_reason: dict[str, tuple[int, Decimal]] = {}
    for reason, prior in rows:
        cause = metrics.lost_cause(reason)
        n, total = by_cause[cause]
        by_cause[cause] = (n + 1, total + prior)
        key = reason or "(none)"
        n, total = by_reason.get(key, (0, ZERO))
        by_reason[key] = (n + 1, total + prior)
    return LostTotals(by_cause, dict(sorted(by_reason.items(), key=lambda kv: -kv[1][1])))


@dataclass
class LostSummary:
    top: list[LostAccount]  # the largest, as lost_accounts() orders them
    count: int
    totals: LostTotals


def lost_summary(*, period: Period, user: Viewer | None = None, top: int = 10) -> LostSummary:
    """What the dashboard shows of lost_accounts(): the `top` largest, how many, and the totals,
    from one statement (revenues, filter and lost reasons in the database); only the `top`
    accounts are loaded with their owner."""
    prev = period.previous()
    facts = grouped.lost_facts((period.start, period.end), (prev.start, prev.end), scoped_accounts(user))
    statement = (
        f"SELECT l.acc, a.external_id, a.lost_reason, l.p, l.b FROM ({{facts}}) l "  # noqa: S608
        f"JOIN {Account._meta.db_table} a ON a.id = l.acc"
    )
    rows = [
        (pk, ext, reason, rollup.money(p), rollup.money(b))
        for pk, ext, reason, p, b in rollup.fetch(*facts.compose(statement))
    ]
    rows.sort(key=lambda r: (-r[4], r[1]))
    largest = lost_from_revenues(period, {pk: (p, b) for pk, _, _, p, b in rows[:top]})
    return LostSummary(largest, len(rows), _totals((reason, b) for _, _, reason, _, b in rows))


@dataclass(frozen=True)
class AccountLine:
    account: Account
    rev_prev: Decimal
    rev_p: Decimal
    new: bool

    @property
    def status(self) -> str:
        if self.rev_prev > 0:
            return "retained" if self.rev_p > 0 else "lost"
        return "new" if self.new else "outside base"


NULL_GROUP = "-"


def retention_accounts(
    *, period: Period, by: str, group: str | None, user: Viewer | None = None
) -> list[AccountLine]:
    """The accounts behind one group's figures (group NULL_GROUP = accounts without one)."""
    scope = scoped_accounts(user)
    keys = group_keys(by, period.start, scope)
    wanted = None if group == NULL_GROUP else group
    ids = [pk for pk, key in keys.items() if group is None or key == wanted]
    revenues = period_revenues(period, scope)
    new = new_account_ids(period, scope)
    ids = [pk for pk in ids if pk in revenues]
    accounts = Account.objects.in_bulk(ids)
    rows = [AccountLine(accounts[pk], revenues[pk][1], revenues[pk][0], new=pk in new) for pk in ids]
    return sorted(rows, key=lambda r: (-r.rev_prev, -r.rev_p, r.account.external_id))
