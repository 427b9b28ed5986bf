"""Pure retention, tier, gap and at-risk rules (METRICS.md). No Django: plain values in,
plain dataclasses out, so every rule is tested table-driven without a database."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple, TypeVar

ZERO = Decimal("0.00")
TIERS = ("A", "B", "C")
UNAVOIDABLE = frozenset({"acquired", "bankrupt", "closed", "relocated"})
CAUSES = ("unavoidable", "avoidable", "unexplained")


# --- Tiers -----------------------------------------------------------------------------


class TierInput(NamedTuple):
    key: int  # account pk
    sort_id: str  # the account id used to break ties (the external id)
    t12m_revenue: Decimal | int  # an amount, or cents (same order, same shares)


def assign_tiers(
    rows: Iterable[TierInput | tuple[int, str, Decimal | int]],
    a_share: Decimal = Decimal("0.80"),
    b_share: Decimal = Decimal("0.95"),
) -> dict[int, str]:
    """ABC tiers: sort by T12M revenue, largest first (ties by account id); the tier follows
    the cumulative share of total revenue held by the accounts *before* each one:
    < a_share -> A, < b_share -> B, else C. A book whose total is <= 0 is all C."""
    ordered = sorted(rows, key=lambda r: (-r[2], r[1]))  # (key, sort_id, t12m_revenue) tuples too
    total = sum(revenue for _, _, revenue in ordered)
    if total <= 0:
        return dict.fromkeys((key for key, _, _ in ordered), "C")
    # tier_for_share for each account, with the two limits worked out once (in cents, whole
    # limits: for a whole number n, n < x exactly when n < ceil(x))
    a_limit: Decimal | int = a_share * total
    b_limit: Decimal | int = b_share * total
    if isinstance(total, int):
        a_limit, b_limit = math.ceil(a_limit), math.ceil(b_limit)
    tiers: dict[int, str] = {}
    before: Decimal | int = 0
    for key, _, revenue in ordered:
        tiers[key] = "A" if before < a_limit else "B" if before < b_limit else "C"
        before += revenue
    return tiers


def tier_for_share(before: Decimal, total: Decimal, a_share: Decimal, b_share: Decimal) -> str:
    """Compare before/total with the thresholds exactly (no division)."""
    if total <= 0:
        return "C"
    if before < a_share * total:
        return "A"
    if before < b_share * total:
        return "B"
    return "C"


# --- Gap and whitespace ----------------------------------------------------------------


def gap(potential: Decimal | None, t12m: Decimal) -> Decimal | None:
    """max(0, potential - T12M revenue); unknown potential -> unknown gap."""
    if potential is None:
        return None
    return max(ZERO, potential - t12m)


def wallet_share(potential: Decimal | None, t12m: Decimal) -> Decimal | None:
    """T12M revenue / potential when potential > 0, else undefined (None)."""
    if potential is None or potential <= 0:
        return None
    return t12m / potential


def common_lines(
    active_count: int, buyers_by_line: Mapping[str, int], share: Decimal = Decimal("0.30")
) -> set[str]:
    """Product lines bought by at least `share` of the industry's active accounts."""
    if active_count <= 0:
        return set()
    return {line for line, n in buyers_by_line.items() if line and Decimal(n) >= share * active_count}


def whitespace(common: set[str], bought: set[str]) -> list[str]:
    return sorted(common - bought)


# --- Retention -------------------------------------------------------------------------


class AccountPeriods(NamedTuple):
    """One account's revenue in P and P' (None-free: 0 when it had no lines)."""

    key: int
    group: str | None
    rev_p: Decimal
    rev_prev: Decimal
    new: bool = False


@dataclass
class RetentionFigures:
    group: str | None
    base_accounts: int = 0
    retained_accounts: int = 0
    lost_accounts: int = 0
    new_accounts: int = 0
    base_revenue: Decimal = ZERO
    gross_retained: Decimal = ZERO  # GRR numerator
    retained_revenue: Decimal = ZERO  # NRR numerator
    period_revenue: Decimal = ZERO
    lost_revenue: Decimal = ZERO  # rev_P' of the lost accounts
    lost_keys: list[int] = field(default_factory=list)

    @property
    def logo_retention(self) -> Decimal | None:
        return ratio(Decimal(self.retained_accounts), Decimal(self.base_accounts))

    @property
    def grr(self) -> Decimal | None:
        return ratio(self.gross_retained, self.base_revenue)

    @property
    def nrr(self) -> Decimal | None:
        return ratio(self.retained_revenue, self.base_revenue)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """Null, never 0 or 1, when the base is empty."""
    if denominator <= 0:
        return None
    return numerator / denominator


def retention_by_group(rows: Iterable[AccountPeriods]) -> dict[str | None, RetentionFigures]:
    buckets: dict[str | None, list[AccountPeriods]] = {}
    for row in rows:
        buckets.setdefault(row.group, []).append(row)
    return {group: figures_of(group, items) for group, items in buckets.items()}


def figures_of(group: str | None, rows: list[AccountPeriods]) -> RetentionFigures:
    """The figures of one group (same as adding the rows one by one, in bulk)."""
    figures = base_figures(group, ((r.key, r.rev_p, r.rev_prev) for r in rows), ZERO)
    figures.new_accounts = sum(1 for r in rows if r.new)
    figures.period_revenue = sum((r.rev_p for r in rows), ZERO)
    return figures


Num = TypeVar("Num", Decimal, int)


def base_sums(
    rows: Iterable[tuple[int, Num, Num]], zero: Num
) -> tuple[int, int, Num, Num, Num, Num, list[int]]:
    """Over (key, rev_P, rev_P') of a group's accounts, in amounts or in cents: |B|, |R|, the
    sums over B of rev_P' (base revenue), of max(0, min(rev_P, rev_P')) (GRR numerator) and of
    max(0, rev_P) (NRR numerator), the sum of rev_P' over B minus R, and the keys of B minus R.
    (For a retained account rev_P > 0, so max(0, min(...)) = min(...) and max(0, rev_P) = rev_P;
    for a lost one both are 0.)"""
    base = retained = 0
    base_revenue = gross = kept = lost_revenue = zero
    lost: list[int] = []
    for key, now, before in rows:
        if before > 0:
            base += 1
            base_revenue += before
            if now > 0:
                retained += 1
                gross += now if now < before else before
                kept += now
            else:
                lost_revenue += before
                lost.append(key)
    return base, retained, base_revenue, gross, kept, lost_revenue, lost


def base_figures(
    group: str | None, rows: Iterable[tuple[int, Num, Num]], zero: Num, scale: int = 0
) -> RetentionFigures:
    """RetentionFigures of the base set B of (key, rev_P, rev_P') rows (`base_sums`); money in
    10**-scale units (cents: scale 2). New accounts and period revenue are left at 0."""
    base, retained, base_revenue, gross, kept, lost_revenue, lost = base_sums(rows, zero)
    return RetentionFigures(
        group,
        base_accounts=base,
        retained_accounts=retained,
        lost_accounts=base - retained,
        base_revenue=Decimal(base_revenue).scaleb(-scale),
        gross_retained=Decimal(gross).scaleb(-scale),
        retained_revenue=Decimal(kept).scaleb(-scale),
        lost_revenue=Decimal(lost_revenue).scaleb(-scale),
        lost_keys=lost,
    )


def combine(groups: Iterable[RetentionFigures], name: str | None = "overall") -> RetentionFigures:
    """Figures of the union of disjoint groups (every count and sum adds up)."""
    total = RetentionFigures(name)
    for g in groups:
        for attr in ADDITIVE:
            setattr(total, attr, getattr(total, attr) + getattr(g, attr))
        total.lost_keys.extend(g.lost_keys)
    return total


ADDITIVE = (
    "base_accounts",
    "retained_accounts",
    "lost_accounts",
    "new_accounts",
    "base_revenue",
    "gross_retained",
    "retained_revenue",
    "period_revenue",
    "lost_revenue",
)


def lost_cause(reason: str | None) -> str:
    if not reason:
        return "unexplained"
    return "unavoidable" if reason in UNAVOIDABLE else "avoidable"


# --- At risk ---------------------------------------------------------------------------


class RiskInput(NamedTuple):
    key: int
    t12m: Decimal
    prev12m: Decimal
    first_order: date | None
    last_order: date | None
    order_days: int  # distinct days with a positive order line


@dataclass(frozen=True)
class RiskFlag:
    key: int
    reasons: tuple[str, ...]
    decline: Decimal | None
    days_silent: int | None
    usual_interval: Decimal | None


def usual_interval(first: date | None, last: date | None, order_days: int) -> Decimal | None:
    """Mean days between distinct order days; None with fewer than two."""
    if first is None or last is None or order_days < 2:
        return None
    return Decimal((last - first).days) / (order_days - 1)


def decline(t12m: Decimal, prev12m: Decimal) -> Decimal | None:
    """Fall of T12M revenue against the 12 months before, as a share of those (None if no base)."""
    if prev12m <= 0:
        return None
    return (prev12m - t12m) / prev12m


def risk_flag(row: RiskInput, day: date, max_decline: Decimal = Decimal("0.30")) -> RiskFlag | None:
    if row.prev12m <= 0 and row.order_days < 2:
        return None  # neither rule can apply (fast path for the many quiet accounts)
    reasons = []
    fall = decline(row.t12m, row.prev12m)
    if fall is not None and fall > max_decline:
        reasons.append(f"T12M revenue down {fall * 100:.1f} % on the previous 12 months")
    interval = usual_interval(row.first_order, row.last_order, row.order_days)
    silent = (day - row.last_order).days if row.last_order else None
    if interval is not None and silent is not None and interval > 0 and silent > 2 * interval:
        reasons.append(f"no order for {silent} days, more than twice the usual {interval:.0f} days")
    if not reasons:
        return None
    return RiskFlag(row.key, tuple(reasons), fall, silent, interval)
