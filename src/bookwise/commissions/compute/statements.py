"""A rep's computed statement and its typed lines, and the money strings they hold.

A statement line is a `StatementLine` (named fields, in this order); a stored statement
keeps its lines as JSON arrays in the same order (see docs/commissions.md, "Stored
statement lines"), so `Statement.lines` reads them back as StatementLines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any, NamedTuple, NotRequired, TypedDict, overload

from .rules import Plan, attainment

CENT = Decimal("0.01")
ZERO = Decimal(0)


class StatementLine(NamedTuple):
    order_id: str
    account_id: str  # the account's external id
    order_date: str  # ISO date
    credit: str  # money string; a co-coverage share keeps its exact digits
    factor: float  # f_i rounded to 6 decimals (display; the commission uses the exact f_i)
    commission: str  # money string, the line's rounded commission
    explanation: str


class AdjustmentLine(TypedDict):
    """A correction paid in a later run (a statement's "adjustment_lines", stored as JSON):
    a line or the override of an approved period recomputed, or an accepted dispute."""

    period: str
    kind: str  # "line", "override" or "dispute"
    order_id: str | None
    account_id: str | None
    order_date: str | None
    previous: str | None  # money strings
    current: str | None
    commission: str
    explanation: str
    dispute_id: NotRequired[int]


LINE_COLUMNS = list(StatementLine._fields)
_new_line = partial(tuple.__new__, StatementLine)


def as_lines(rows: Iterable[Iterable[Any]]) -> list[StatementLine]:
    """Rows (sequences of the seven fields in order) as StatementLines, at C speed (a
    run makes one per credited line)."""
    return [row if isinstance(row, StatementLine) else _new_line(row) for row in rows]


@overload
def money(value: Decimal) -> str: ...
@overload
def money(value: Decimal | None) -> str | None: ...
def money(value: Decimal | None) -> str | None:
    """Two decimals; a value that is not a whole cent keeps its exact digits."""
    if value is None:
        return None
    cents = value.quantize(CENT)
    if cents == value:
        return f"{cents:f}"
    return f"{value.normalize():f}"


def number(value: Decimal | None, places: int) -> float | None:
    if value is None:
        return None
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class PaidPlan:
    plan: Plan
    version_id: int | None = None


@dataclass
class RepStatement:
    rep_id: int
    rep_ref: str
    paid: PaidPlan
    quota: Decimal | None
    credit: Decimal = ZERO
    commission: Decimal = ZERO
    lines: list[StatementLine] = field(default_factory=list)
    override: Decimal = ZERO
    team: tuple[Decimal, Decimal] | None = None  # T(P), T(P - 1 year) for an override

    @property
    def attainment(self) -> Decimal | None:
        return attainment(self.credit, self.quota)
