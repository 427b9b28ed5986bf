"""What-if: what a draft plan file would have paid over the last N periods, next to what
the plans in force pay (the same engine, nothing stored)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict

from bookwise.accounts.models import Account
from bookwise.core.dates import Period, parse_period
from bookwise.people.models import Rep

from .compute.chunks import Reassignment
from .compute.computation import current_plans, period_totals
from .compute.period import PayPeriod
from .compute.rules import Plan
from .compute.statements import PaidPlan
from .present import money

ZERO = Decimal(0)


def period_containing(day: date, kind: str) -> Period:
    if kind == "year":
        return parse_period(str(day.year))
    if kind == "month":
        return parse_period(f"{day.year}-{day.month:02d}")
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def last_periods(kind: str, count: int, as_of: date) -> list[Period]:
    """The `count` complete periods of `kind` ending before the one containing `as_of`,
    oldest first."""
    period = period_containing(as_of, kind)
    found = []
    for _ in range(count):
        period = period.previous()
        found.append(period)
    return list(reversed(found))


class RepChange(TypedDict):
    """A rep's pay in a period now and under the what-if (money strings)."""

    rep_id: str
    current: str
    proposed: str
    difference: str


class PeriodChange(TypedDict):
    """A period's total pay now and under the what-if, and the reps' (money strings)."""

    period: str
    current: str
    proposed: str
    difference: str
    reps: list[RepChange]


def what_if(*, draft: list[Plan], periods: int, as_of: date) -> list[PeriodChange]:
    """Per period: current and proposed totals, and per rep the difference."""
    stored = current_plans()
    names = {p.name for p in draft}
    proposed = [p for p in stored if p.plan.name not in names] + [PaidPlan(p) for p in draft]
    kinds = sorted({p.period for p in draft})
    out: list[PeriodChange] = []
    for kind in kinds:
        for period in last_periods(kind, periods, as_of):
            paid = PayPeriod.from_span(period)
            now, then = period_totals(paid, stored), period_totals(paid, proposed)
            reps: list[RepChange] = [
                {"rep_id": r, "current": money(now.get(r, ZERO)), "proposed": money(then.get(r, ZERO)),
                 "difference": money(then.get(r, ZERO) - now.get(r, ZERO))}
                for r in sorted(set(now) | set(then))
            ]  # fmt: skip
            current, future = sum(now.values(), ZERO), sum(then.values(), ZERO)
            out.append(
                {"period": period.label, "current": money(current), "proposed": money(future),
                 "difference": money(future - current), "reps": reps}
            )  # fmt: skip
    return out


def transfer_what_if(
    *, account: Account, rep: Rep, periods: int, as_of: date, kind: str = "quarter"
) -> list[PeriodChange]:
    """What the last `periods` periods would have paid had `account` been transferred to
    `rep` at the start of the first of them: per period, the reps whose pay changes."""
    chosen = last_periods(kind, periods, as_of)
    if not chosen:
        return []
    move = Reassignment(account.pk, rep.pk, chosen[0].start)
    out: list[PeriodChange] = []
    for period in chosen:
        paid = PayPeriod.from_span(period)
        now, then = period_totals(paid), period_totals(paid, reassignment=move)
        changed = [r for r in sorted(set(now) | set(then)) if now.get(r, ZERO) != then.get(r, ZERO)]
        reps: list[RepChange] = [
            {"rep_id": r, "current": money(now.get(r, ZERO)), "proposed": money(then.get(r, ZERO)),
             "difference": money(then.get(r, ZERO) - now.get(r, ZERO))}
            for r in changed
        ]  # fmt: skip
        current, future = sum(now.values(), ZERO), sum(then.values(), ZERO)
        out.append(
            {"period": period.label, "current": money(current), "proposed": money(future),
             "difference": money(future - current), "reps": reps}
        )  # fmt: skip
    return out
