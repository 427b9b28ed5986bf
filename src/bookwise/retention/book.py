"""Per-account reports of the book at a date: tiers, gaps (with totals per territory and
rep) and at-risk accounts, scoped to a user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from bookwise.accounts.models import Account
from bookwise.core.dates import add_months, trailing_12_months

from . import metrics, rollup
from .reports import owners_on, scoped_accounts
from .selectors import GapInfo, TierInfo, account_gaps, account_tiers, setting

ZERO = Decimal("0.00")


def _accounts(user: Any) -> list[Account]:
    scope = scoped_accounts(user)
    qs = Account.objects.all() if scope is None else scope
    return list(qs.select_related("territory__region").order_by("external_id"))


@dataclass(frozen=True)
class TierRow:
    account: Account
    info: TierInfo
    owner_id: str | None


def tier_rows(*, day: date, user: Any = None, tier: str = "") -> list[TierRow]:
    """Every account in scope with its tier at `day` (optionally one tier), by T12M revenue."""
    accounts = _accounts(user)
    tiers = account_tiers(day=day, account_ids=[a.pk for a in accounts] if user is not None else None)
    owners = owners_on(day)
    rows = [
        TierRow(a, tiers[a.pk], owners.get(a.pk)) for a in accounts if not tier or tiers[a.pk].tier == tier
    ]
    return sorted(rows, key=lambda r: (-r.info.t12m_revenue, r.account.external_id))


def tier_mix(rows: Iterable[TierRow]) -> dict[str, tuple[int, Decimal]]:
    mix = {t: (0, ZERO) for t in metrics.TIERS}
    for row in rows:
        n, total = mix[row.info.tier]
        mix[row.info.tier] = (n + 1, total + row.info.t12m_revenue)
    return mix


@dataclass(frozen=True)
class GapRow:
    account: Account
    info: GapInfo
    owner_id: str | None
    tier: str


def gap_rows(*, day: date, user: Any = None) -> list[GapRow]:
    """Accounts in scope with gap figures, biggest gap first (unknown gaps last)."""
    accounts = _accounts(user)
    ids = None if user is None else [a.pk for a in accounts]
    gaps = account_gaps(day=day, account_ids=ids)
    tiers = account_tiers(day=day, account_ids=ids)
    owners = owners_on(day)
    rows = [GapRow(a, gaps[a.pk], owners.get(a.pk), tiers[a.pk].tier) for a in accounts]
    return sorted(rows, key=lambda r: (r.info.gap is None, -(r.info.gap or ZERO), r.account.external_id))


@dataclass
class GapTotal:
    group: str | None
    accounts: int = 0
    potential_revenue: Decimal = ZERO
    t12m_revenue: Decimal = ZERO
    gap: Decimal = ZERO

    @property
    def wallet_share(self) -> Decimal | None:
        return metrics.wallet_share(self.potential_revenue, self.t12m_revenue)


def gap_totals(rows: Iterable[GapRow], by: str) -> list[GapTotal]:
    """Sums per territory or per rep (owner at the date) over the accounts with a known potential."""
    totals: dict[str | None, GapTotal] = {}
    for row in rows:
        if row.info.potential_revenue is None:
            continue
        key = row.owner_id if by == "rep" else (row.account.territory.name if row.account.territory else None)
        total = totals.setdefault(key, GapTotal(key))
        total.accounts += 1
        total.potential_revenue += row.info.potential_revenue
        total.t12m_revenue += row.info.t12m_revenue
        total.gap += row.info.gap or ZERO
    return sorted(totals.values(), key=lambda t: -t.gap)


class AccountRef(NamedTuple):
    """The few account fields a long list shows (cheaper than model instances)."""

    pk: int
    external_id: str
    name: str


@dataclass(frozen=True)
class AtRiskRow:
    account: AccountRef
    flag: metrics.RiskFlag
    t12m_revenue: Decimal
    prev12m_revenue: Decimal
    last_order: date | None
    owner_id: str | None


def _risk_inputs(day: date, scope: Any) -> list[metrics.RiskInput]:
    """T12M and previous-12-months revenue and the positive order days over the 24 months
    to `day`, for the active accounts in scope."""
    t12m = trailing_12_months(day)
    prev_start = add_months(day, -24) + timedelta(days=1)
    active = (Account.objects.all() if scope is None else scope).filter(status="active")
    ranges = {"t12m": (t12m.start, t12m.end), "prev": (prev_start, t12m.start - timedelta(days=1))}
    sums = rollup.account_sums(ranges, active)
    days = rollup.order_days(prev_start, day, active)
    none = rollup.OrderDays(None, None, 0)
    rows = []
    for pk, s in sums.items():
        d = days.get(pk, none)
        rows.append(metrics.RiskInput(pk, s["t12m"], s["prev"], d.first, d.last, d.days))
    return rows


def at_risk(*, day: date, user: Any = None) -> list[AtRiskRow]:
    """Active accounts whose T12M revenue fell by more than `at_risk_decline` on the 12 months
    before, or silent for more than twice their usual interval between orders (both measured
    over the 24 months to `day`), each with why; biggest revenue drop first."""
    limit = setting("at_risk_decline", "0.30")
    inputs = {row.key: row for row in _risk_inputs(day, scoped_accounts(user))}
    flags = {pk: flag for pk, row in inputs.items() if (flag := metrics.risk_flag(row, day, limit))}
    owners = owners_on(day)
    refs = {
        pk: AccountRef(pk, ext, name)
        for pk, ext, name in Account.objects.values_list("id", "external_id", "name")
    }
    rows = [
        AtRiskRow(refs[pk], flag, inputs[pk].t12m, inputs[pk].prev12m, inputs[pk].last_order, owners.get(pk))
        for pk, flag in flags.items()
    ]
    return sorted(rows, key=lambda r: (-(r.prev12m_revenue - r.t12m_revenue), r.account.external_id))
