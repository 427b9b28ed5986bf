"""The commission rules applied line by line, in Decimal: the plain form of what
src/bookwise/commissions/compute does in columns (vector.py, crediting.py), kept here as
an oracle for the tests. The rules themselves (R(x), the transfer factor, rounding,
explanations) are compute.rules; what is restated here is the crediting and the walk
over a rep's lines. reference.py restates the walk again in fractions, oracle.py
everything from the contract."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

import numpy as np

from bookwise.commissions.compute.period import to_day
from bookwise.commissions.compute.rules import (  # noqa: F401 (re-exported for the tests)
    ONE,
    PRECISION,
    UNIT,
    ZERO,
    Plan,
    RampStep,
    RateCurve,
    RebateTier,
    Tier,
    TransferContext,
    TransferRule,
    attainment,
    explanation,
    override_amount,
    rebate_status,
    round_cents,
    transfer_factor,
)
from bookwise.commissions.compute.vector import Columns, decimals


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
    with localcontext(PRECISION):
        for line in sorted(lines, key=lambda x: x.sort_key):
            after = c + line.credit
            delta = curve(after) - curve(c)
            factor, s_key = UNIT, None
            if rule is not None and line.transfer is not None:
                s_key = (line.account, line.transfer)
                ctx = contexts.get(s_key, TransferContext())
                s_before = running.get(s_key, ctx.prior_credit)
                factor = transfer_factor(
                    rule, line.transfer, line.day, line.kind, line.credit, s_before, ctx.baseline
                )
                running[s_key] = s_before + line.credit
            commission = round_cents(factor.numerator * delta / factor.denominator)
            why = explanation(plan, curve.tier_labels(c, after), line.unknown_gp, line.role == "secondary")
            why = f"{why}; {factor.why}" if factor.why else why
            result.lines.append(LineResult(line, factor.value, commission, why))
            result.commission += commission
            c = after
    result.credit = c
    result.attainment = attainment(c, quota)
    return result


def columns_from_lines(rep: int, lines: list[CreditLine]) -> Columns:
    """Columns for one rep's CreditLines (for tests and small inputs)."""
    k = max([0] + [decimals([cl.credit]) - 2 for cl in lines])
    scale = 10**k
    return Columns(
        rep=np.full(len(lines), rep, dtype=np.int64),
        order_id=np.array([cl.order_id for cl in lines], dtype=str),
        account=np.array([cl.account for cl in lines], dtype=np.int64),
        account_ref=np.array([cl.account_ref for cl in lines], dtype=object),
        day=np.array([to_day(cl.day) for cl in lines], dtype=np.int64),
        kind=np.array([cl.kind for cl in lines], dtype=object),
        credit=np.array([int(cl.credit * 100 * scale) for cl in lines], dtype=np.int64),
        unknown=np.array([cl.unknown_gp for cl in lines], dtype=bool),
        secondary=np.array([cl.role == "secondary" for cl in lines], dtype=bool),
        transfer=np.array([to_day(cl.transfer) if cl.transfer else -1 for cl in lines], dtype=np.int64),
        scale=scale,
    )
