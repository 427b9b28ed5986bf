"""A goal's period (a calendar year or quarter) and the windows its attainment is read over
on a given day (docs/goals.md, Attainment)."""

from __future__ import annotations

from datetime import date, timedelta

from bookwise.core.dates import Period, add_months, parse_period, period_kind, period_of
from bookwise.core.validation import InvalidValue

YEARS_BACK, YEARS_AHEAD = 2, 1


def goal_period(label: str, today: date) -> Period:
    """`2026` or `2026-Q3`, from two years ago to next year; InvalidValue in words otherwise."""
    text = str(label).strip()
    try:
        period = parse_period(text)
    except ValueError:
        period = None
    if period is None or period_kind(text) not in ("year", "quarter"):
        raise InvalidValue("Period", f"{label!r} is not a year or a quarter (use 2026 or 2026-Q3).", "period")
    if not today.year - YEARS_BACK <= period.start.year <= today.year + YEARS_AHEAD:
        first, last = today.year - YEARS_BACK, today.year + YEARS_AHEAD
        raise InvalidValue("Period", f"{text} is outside {first} to {last}.", "period")
    return period


def months_of(period: Period) -> int:
    return 12 if period_kind(period.label) == "year" else 3


def as_of(period: Period, day: date) -> date | None:
    """The day attainment is read on: `day` inside the period, its end once over; None
    before it starts."""
    if day < period.start:
        return None
    return min(day, period.end)


def ratio_window(period: Period, day: date) -> tuple[Period, Period]:
    """A ratio to date: the trailing window of the period's length ending on `day` (at the
    period's end, the period itself), against the window before it."""
    if day >= period.end:
        return period, period.previous()
    window = period_of(add_months(day, -months_of(period)) + timedelta(days=1), day)
    return window, window.previous()


def additive_window(period: Period, day: date) -> tuple[Period, Period]:
    """An additive figure to date: from the period's first day to `day`, against the same
    stretch of the period before (P' from its first day, as many months and days on)."""
    prior = period.previous()
    if day >= period.end:
        return period, prior
    stretch_end = min(prior.end, add_months(day, -months_of(period)))
    return period_of(period.start, day), Period(prior.start, stretch_end, "")


def checkpoints(period: Period, day: date) -> list[date]:
    """The trend's days: each month end of the period up to `day`, and `day` itself."""
    last = as_of(period, day)
    if last is None:
        return []
    found, month = [], period.start
    while month <= last:
        end = add_months(month, 1) - timedelta(days=1)
        found.append(min(end, last))
        month = add_months(month, 1)
    return found
