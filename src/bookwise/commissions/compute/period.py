"""The period a run pays, parsed once from its label and passed down; and days as the
integers the columns use (days since 1970-01-01)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np

from bookwise.core.dates import Period, parse_period, period_kind

EPOCH = date(1970, 1, 1)
SHIFT = 1 << 21  # days fit below 2^21; search keys are id * SHIFT + day
OPEN_END = SHIFT - 1
KINDS = ("month", "quarter", "year")


@dataclass(frozen=True)
class PayPeriod:
    """A month, quarter or year commissions are computed for (`2026-03`, `2026-Q1`,
    `2026`): the label, its kind and its first and last day."""

    label: str
    kind: str
    start: date
    end: date

    @classmethod
    def parse(cls, label: str) -> PayPeriod:
        """Raises ValueError for a label that is not a month, quarter or year."""
        span = parse_period(label)
        kind = period_kind(label)
        if kind not in KINDS:
            raise ValueError(f"{label!r} is not a month, quarter or year")
        return cls(label, kind, span.start, span.end)

    @classmethod
    def of(cls, value: str | PayPeriod) -> PayPeriod:
        return value if isinstance(value, PayPeriod) else cls.parse(value)

    def year_earlier(self) -> PayPeriod:
        """The same calendar period a year earlier."""
        return PayPeriod.from_span(self.span.year_earlier())

    @classmethod
    def from_span(cls, span: Period) -> PayPeriod:
        return cls(span.label, period_kind(span.label), span.start, span.end)

    @property
    def span(self) -> Period:
        return Period(self.start, self.end, self.label)


def to_day(value: date) -> int:
    return (value - EPOCH).days


@lru_cache(maxsize=1 << 16)
def from_day(value: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(value))


def days_of(values: Sequence[Any]) -> np.ndarray:
    """Days since 1970-01-01 of dates (or ISO strings)."""
    return np.array(values, dtype="datetime64[D]").astype(np.int64)
