"""The commission rules of COMMISSIONS.md, stated once, pure (Decimal and date, no Django).

The plan's terms (tiers, quota, transfer rule with delay / new orders only / threshold /
ramp, co-coverage split, override), the cumulative rate function R(x), the transfer
factor f of one line, per-line rounding, attainment, the line's explanation, the manager
override and customer rebates. The period's lines are credited and paid with these
rules in columns (crediting.py, vector.py); tests/commissions holds the plain per-line
restatements (line_engine.py, reference.py, oracle.py) the tests compare against.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache

from bookwise.core import dates

add_months = lru_cache(maxsize=1 << 16)(dates.add_months)
completed_months = lru_cache(maxsize=1 << 18)(dates.completed_months)

ZERO = Decimal("0")
ONE = Decimal("1")
CENT = Decimal("0.01")
PRECISION = Context(prec=60)


def round_cents(value: Decimal) -> Decimal:
    """Half-up, away from zero for negatives (-0.125 -> -0.13)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Tier:
    start: Decimal  # attainment where the rate starts (the YAML `from`)
    rate: Decimal


@dataclass(frozen=True)
class RampStep:
    from_month: int
    multiplier: Decimal


@dataclass(frozen=True)
class TransferRule:
    """Missing keys: no horizon limit, no delay, all kinds, no threshold, multiplier 1."""

    horizon_months: int | None = None
    delay_months: int = 0
    new_orders_only: bool = False
    threshold: str = "none"  # none | prior_12_months
    ramp: tuple[RampStep, ...] = ()

    def multiplier(self, months: int) -> Decimal:
        found = ONE
        for step in self.ramp:
            if step.from_month <= months:
                found = step.multiplier
        return found


@dataclass(frozen=True)
class Plan:
    name: str
    roles: tuple[str, ...]
    valid_from: date
    valid_to: date
    period: str = "quarter"  # month | quarter | year
    base: str = "amount"  # amount | gross_profit
    quota: Decimal | None = None
    tiers: tuple[Tier, ...] = ()
    transfer_rule: TransferRule | None = None
    co_coverage_split: Decimal = ZERO
    override_rate: Decimal | None = None  # basis team_growth
    version: int = 1


# ---------------------------------------------------------------- R(x)


class RateCurve:
    """R(x) = integral from 0 to x of rate(y / quota) dy, with R(x) = rate(0) x below 0."""

    def __init__(self, tiers: Sequence[Tier], quota: Decimal | None) -> None:
        self.tiers = tuple(tiers)
        self.flat = quota is None
        if not self.tiers:
            self.bounds: list[Decimal] = [ZERO]
            self.rates: list[Decimal] = [ZERO]
        elif self.flat:
            self.bounds, self.rates = [ZERO], [self.tiers[0].rate]
        else:
            assert quota is not None
            self.bounds = [ZERO] + [t.start * quota for t in self.tiers if t.start > 0]
            self.rates = [self._rate_at(ZERO)] + [t.rate for t in self.tiers if t.start > 0]
        self.at_bound = [ZERO]
        for k in range(1, len(self.bounds)):
            width = self.bounds[k] - self.bounds[k - 1]
            self.at_bound.append(self.at_bound[-1] + self.rates[k - 1] * width)

    def _rate_at(self, attainment: Decimal) -> Decimal:
        rate = ZERO
        for tier in self.tiers:
            if tier.start <= attainment:
                rate = tier.rate
        return rate

    def segment(self, x: Decimal) -> int:
        """Index of the rate segment x lies in (0 also for x < 0)."""
        return max(bisect_right(self.bounds, x) - 1, 0)

    def __call__(self, x: Decimal) -> Decimal:
        if x <= 0:
            return self.rates[0] * x
        k = self.segment(x)
        return self.at_bound[k] + self.rates[k] * (x - self.bounds[k])

    def tier_labels(self, low: Decimal, high: Decimal) -> str:
        """The tiers the credit between low and high moves through, as text."""
        a, b = sorted((low, high))
        first, last = self.segment(a), self.segment(b)
        if b > a and last > first and b == self.bounds[last]:
            last -= 1
        return ", ".join(f"tier {k + 1} ({pct(self.rates[k])})" for k in range(first, last + 1))


def _amount(value: Decimal) -> str:
    cents = value.quantize(CENT)
    return f"{cents:f}" if cents == value else f"{value.normalize():f}"


def pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


def explanation(plan: Plan, tiers: str, unknown_gp: bool, secondary: bool) -> str:
    """A line's explanation without its transfer part: the plan, why the credit is what
    it is (unknown gross profit, a co-coverage share), the tiers it moves through."""
    parts = [f"plan {plan.name} v{plan.version}"]
    if unknown_gp:
        parts.append("gross profit unknown: credit 0")
    elif secondary:
        parts.append(f"co-coverage share {plan.co_coverage_split.normalize():f}")
    parts.append(tiers if plan.tiers else "no tiers (override only)")
    return "; ".join(parts)


def attainment(credit: Decimal, quota: Decimal | None) -> Decimal | None:
    if not quota:
        return None
    with localcontext(PRECISION):
        return (credit / quota).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- transfer factor


@dataclass(frozen=True)
class TransferContext:
    """For one (account, t): baseline B and the rep's credit on it from t before the period."""

    baseline: Decimal = ZERO
    prior_credit: Decimal = ZERO


@dataclass(frozen=True)
class Factor:
    numerator: Decimal  # f = numerator / denominator, exact
    denominator: Decimal
    why: str

    @property
    def value(self) -> Decimal:
        with localcontext(PRECISION):
            return self.numerator / self.denominator


UNIT = Factor(ONE, ONE, "")


def transfer_factor(
    rule: TransferRule | None,
    t: date | None,
    day: date,
    kind: str,
    credit: Decimal,
    s_before: Decimal,
    baseline: Decimal,
) -> Factor:
    """f_i of a line dated `day` of `kind` crediting `credit` on an account the rep
    received by a transfer on `t` (1 outside the rule's window, or without one)."""
    if rule is None or t is None:
        return UNIT
    if rule.horizon_months is not None and day >= add_months(t, rule.horizon_months):
        return Factor(ONE, ONE, f"transfer {t}: after the {rule.horizon_months}-month horizon")
    head = f"transfer {t}"
    if day < add_months(t, rule.delay_months):
        return Factor(ZERO, ONE, f"{head}: delay until {add_months(t, rule.delay_months)} -> 0")
    if rule.new_orders_only and kind != "new":
        return Factor(ZERO, ONE, f"{head}: new orders only, kind {kind} -> 0")
    months = completed_months(t, day)
    ramp = rule.multiplier(months)
    parts = [head]
    numerator, denominator = ramp, ONE
    if rule.threshold == "prior_12_months" and credit != ZERO:
        above = max(ZERO, s_before + credit - baseline) - max(ZERO, s_before - baseline)
        numerator, denominator = ramp * above, credit
        parts.append(f"threshold share {_amount(above)}/{_amount(credit)} above baseline {_amount(baseline)}")
    if rule.ramp:
        parts.append(f"ramp x{ramp.normalize():f} at month {months}")
    return Factor(numerator, denominator, "; ".join(parts))


# ---------------------------------------------------------------- override and rebates


def override_amount(rate: Decimal, team_now: Decimal, team_year_before: Decimal) -> Decimal:
    """rate x max(0, T(P) - T(P - 1 year)), rounded to the cent."""
    return round_cents(rate * max(ZERO, team_now - team_year_before))


@dataclass(frozen=True)
class RebateTier:
    start: Decimal  # revenue `from`
    rate: Decimal


@dataclass(frozen=True)
class RebateStatus:
    revenue: Decimal
    tier: RebateTier | None
    rebate: Decimal  # accrual: rate x revenue so far (the rebate at year end)
    next_tier: RebateTier | None
    needed: Decimal | None


def rebate_status(tiers: Sequence[RebateTier], revenue: Decimal) -> RebateStatus:
    """Tier reached = highest `from` <= revenue; rebate = its rate x the whole revenue."""
    ordered = sorted(tiers, key=lambda t: t.start)
    reached = None
    upcoming = None
    for tier in ordered:
        if tier.start <= revenue:
            reached = tier
        elif upcoming is None:
            upcoming = tier
    rebate = round_cents(reached.rate * revenue) if reached else ZERO.quantize(CENT)
    needed = (upcoming.start - revenue) if upcoming else None
    return RebateStatus(revenue, reached, rebate, upcoming, needed)
