"""A plain, slow, per-line re-statement of COMMISSIONS.md in exact fractions.

Only for tests: the property tests compare `engine.rep_statement` with this on random
data. Every quantity is recomputed from its definition (R as an integral over the tiers,
c_i and s_i as sums over the earlier lines)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

from bookwise.core.dates import add_months, completed_months
from tests.commissions.line_engine import CreditLine, Plan, TransferContext


def round_half_up(value: Fraction) -> Decimal:
    cents = abs(value) * 100
    whole = int(cents)
    if cents - whole >= Fraction(1, 2):
        whole += 1
    signed = whole if value >= 0 else -whole
    return Decimal(signed) / 100


def rate_of(plan: Plan, attainment: Fraction) -> Fraction:
    rate = Fraction(0)
    for tier in plan.tiers:
        if Fraction(tier.start) <= attainment:
            rate = Fraction(tier.rate)
    return rate


def big_r(plan: Plan, quota: Decimal | None, x: Fraction) -> Fraction:
    """R(x) by integrating rate(y / quota) piece by piece."""
    if not plan.tiers:
        return Fraction(0)
    if quota is None:
        return Fraction(plan.tiers[0].rate) * x
    q = Fraction(quota)
    if x <= 0:
        return rate_of(plan, Fraction(0)) * x
    points = sorted(
        {Fraction(0), x} | {Fraction(t.start) * q for t in plan.tiers if 0 < Fraction(t.start) * q < x}
    )
    total = Fraction(0)
    for a, b in zip(points, points[1:], strict=False):
        total += rate_of(plan, a / q) * (b - a)
    return total


def factor_of(plan: Plan, line: CreditLine, earlier: Sequence[CreditLine], ctx: TransferContext) -> Fraction:
    rule, t = plan.transfer_rule, line.transfer
    if rule is None or t is None:
        return Fraction(1)
    if rule.horizon_months is not None and line.day >= add_months(t, rule.horizon_months):
        return Fraction(1)
    if line.day < add_months(t, rule.delay_months):
        return Fraction(0)
    if rule.new_orders_only and line.kind != "new":
        return Fraction(0)
    ramp = Fraction(1)
    for step in rule.ramp:
        if step.from_month <= completed_months(t, line.day):
            ramp = Fraction(step.multiplier)
    g = Fraction(1)
    credit = Fraction(line.credit)
    if rule.threshold == "prior_12_months" and credit != 0:
        s = Fraction(ctx.prior_credit) + sum(
            (Fraction(e.credit) for e in earlier if e.account == line.account and e.transfer == t),
            Fraction(0),
        )
        b = Fraction(ctx.baseline)
        g = (max(Fraction(0), s + credit - b) - max(Fraction(0), s - b)) / credit
    return g * ramp


def reference_commissions(
    plan: Plan,
    quota: Decimal | None,
    lines: Sequence[CreditLine],
    contexts: dict[tuple[int, date | None], TransferContext] | None = None,
) -> list[tuple[str, Decimal]]:
    """(order id, commission) per line, in line order."""
    ordered = sorted(lines, key=lambda x: (x.day, x.order_id))
    out = []
    for i, line in enumerate(ordered):
        c = sum((Fraction(e.credit) for e in ordered[:i]), Fraction(0))
        delta = big_r(plan, quota, c + Fraction(line.credit)) - big_r(plan, quota, c)
        ctx = (contexts or {}).get((line.account, line.transfer), TransferContext())
        f = factor_of(plan, line, ordered[:i], ctx)
        out.append((line.order_id, round_half_up(f * delta)))
    return out
