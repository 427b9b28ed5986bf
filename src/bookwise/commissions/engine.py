"""Commission maths of COMMISSIONS.md, pure: dataclasses, Decimal and date, no Django.

credit (with the co-coverage split), the cumulative rate function R(x), the transfer
factor f (delay / new-only / threshold share g / ramp), per-line rounding, the manager
override and customer rebates. `reference.py` holds a plain, slow re-statement of the
same rules in exact fractions that the property tests compare against.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache

from bookwise.core import dates

add_months = lru_cache(maxsize=1 << 16)(dates.add_months)
completed_months = lru_cache(maxsize=1 << 18)(dates.completed_months)

ZERO = Decimal("0")
ONE = Decimal("1")
CENT = Decimal("0.01")
_PRECISION = Context(prec=60)


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


# ---------------------------------------------------------------- credit


@dataclass(frozen=True, slots=True)
class OrderLine:
    """An order line with who held the account on its date (pks of reps)."""

    order_id: str
    account: int
    account_ref: str
    day: date
    kind: str
    amount: Decimal
    gross_profit: Decimal | None
    rep: int | None = None  # the line's rep_id
    primary: int | None = None  # primary owner on day
    secondary: int | None = None  # secondary owner on day


def base_measure(line: OrderLine, base: str) -> Decimal | None:
    """The credited measure; None when the gross profit is unknown under a GP plan."""
    if base == "gross_profit":
        return line.gross_profit
    return line.amount


def credited_rep(line: OrderLine) -> int | None:
    """rep_id, else the primary owner on the date, else the secondary owner."""
    if line.rep is not None:
        return line.rep
    if line.primary is not None:
        return line.primary
    return line.secondary


def credit_fractions(line: OrderLine, split: Decimal) -> list[tuple[int, Decimal, str]]:
    """(rep, fraction of the line's credit, role) for every rep the line credits.

    The secondary owner on the date takes `split` (the credited rep's plan's
    co_coverage_split) when they are not the credited rep; the fractions add to 1."""
    rep = credited_rep(line)
    if rep is None:
        return []
    second = line.secondary
    if second is None or second == rep or split == ZERO:
        return [(rep, ONE, "credited")]
    return [(rep, ONE - split, "credited"), (second, split, "secondary")]


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
        return ", ".join(f"tier {k + 1} ({_pct(self.rates[k])})" for k in range(first, last + 1))


def _amount(value: Decimal) -> str:
    cents = value.quantize(CENT)
    return f"{cents:f}" if cents == value else f"{value.normalize():f}"


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


# ---------------------------------------------------------------- transfer factor


@dataclass(frozen=True, slots=True)
class CreditLine:
    """One line as a rep is credited for it (their share, in their plan's base)."""

    order_id: str
    account: int
    account_ref: str
    day: date
    kind: str
    credit: Decimal
    unknown_gp: bool = False
    role: str = "credited"  # credited | secondary
    transfer: date | None = None  # latest transfer t <= day of this account to this rep
    rep: int | None = None

    @property
    def sort_key(self) -> tuple[date, str]:
        return (self.day, self.order_id)


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
        with localcontext(_PRECISION):
            return self.numerator / self.denominator


UNIT = Factor(ONE, ONE, "")


def transfer_factor(
    line: CreditLine, rule: TransferRule | None, s_before: Decimal, baseline: Decimal
) -> Factor:
    """f_i for a line on a transferred account (1 outside the rule's window)."""
    t = line.transfer
    if rule is None or t is None:
        return UNIT
    if rule.horizon_months is not None and line.day >= add_months(t, rule.horizon_months):
        return Factor(ONE, ONE, f"transfer {t}: after the {rule.horizon_months}-month horizon")
    head = f"transfer {t}"
    if line.day < add_months(t, rule.delay_months):
        return Factor(ZERO, ONE, f"{head}: delay until {add_months(t, rule.delay_months)} -> 0")
    if rule.new_orders_only and line.kind != "new":
        return Factor(ZERO, ONE, f"{head}: new orders only, kind {line.kind} -> 0")
    months = completed_months(t, line.day)
    ramp = rule.multiplier(months)
    parts = [head]
    numerator, denominator = ramp, ONE
    if rule.threshold == "prior_12_months" and line.credit != ZERO:
        above = max(ZERO, s_before + line.credit - baseline) - max(ZERO, s_before - baseline)
        numerator, denominator = ramp * above, line.credit
        parts.append(
            f"threshold share {_amount(above)}/{_amount(line.credit)} above baseline {_amount(baseline)}"
        )
    if rule.ramp:
        parts.append(f"ramp x{ramp.normalize():f} at month {months}")
    return Factor(numerator, denominator, "; ".join(parts))


# ---------------------------------------------------------------- statements


@dataclass(frozen=True)
class LineResult:
    line: CreditLine
    factor: Decimal
    commission: Decimal
    explanation: str


@dataclass
class StatementResult:
    credit: Decimal = ZERO
    attainment: Decimal | None = None
    commission: Decimal = ZERO
    lines: list[LineResult] = field(default_factory=list)


def attainment(credit: Decimal, quota: Decimal | None) -> Decimal | None:
    if not quota:
        return None
    with localcontext(_PRECISION):
        return (credit / quota).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def rep_statement(
    plan: Plan,
    quota: Decimal | None,
    lines: Iterable[CreditLine],
    contexts: dict[tuple[int, date], TransferContext] | None = None,
) -> StatementResult:
    """A rep's commission for the period: lines in (date, order id) order, each earning
    f_i x (R(c_i + credit_i) - R(c_i)), rounded half-up to the cent."""
    curve = RateCurve(plan.tiers, quota)
    rule = plan.transfer_rule
    contexts = contexts or {}
    running: dict[tuple[int, date], Decimal] = {}
    result = StatementResult()
    c = ZERO
    with localcontext(_PRECISION):
        for line in sorted(lines, key=lambda x: x.sort_key):
            after = c + line.credit
            delta = curve(after) - curve(c)
            factor, s_key = UNIT, None
            if rule is not None and line.transfer is not None:
                s_key = (line.account, line.transfer)
                ctx = contexts.get(s_key, TransferContext())
                s_before = running.get(s_key, ctx.prior_credit)
                factor = transfer_factor(line, rule, s_before, ctx.baseline)
                running[s_key] = s_before + line.credit
            commission = round_cents(factor.numerator * delta / factor.denominator)
            why = _explain(plan, curve, c, after, line, factor)
            result.lines.append(LineResult(line, factor.value, commission, why))
            result.commission += commission
            c = after
    result.credit = c
    result.attainment = attainment(c, quota)
    return result


def _explain(plan: Plan, curve: RateCurve, c: Decimal, after: Decimal, line: CreditLine, f: Factor) -> str:
    parts = [f"plan {plan.name} v{plan.version}"]
    if line.unknown_gp:
        parts.append("gross profit unknown: credit 0")
    elif line.role == "secondary":
        parts.append(f"co-coverage share {plan.co_coverage_split.normalize():f}")
    if plan.tiers:
        parts.append(curve.tier_labels(c, after))
    else:
        parts.append("no tiers (override only)")
    if f.why:
        parts.append(f.why)
    return "; ".join(parts)


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
