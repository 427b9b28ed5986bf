"""Any period of the history a user brings: the forms a period is written in (the same on
pages, in the API and on the command line), its bounds, the default period and as-of date of
a book, and what makes a comparison of P with P' incomplete. Pure rules: no Django.

P' itself is `Period.previous()` (core.dates), the one home of that rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bookwise.core.dates import Period, add_months, parse_iso_date, parse_period, period_of
from bookwise.core.validation import InvalidValue

#: how a period is written, for error messages and help texts
PERIOD_FORMS = "2026, 2026-Q1, 2026-03 or 2026-01-01..2026-06-30"
FIRST_DAY = date(1900, 1, 1)
#: a period may run into the future (this year, this quarter) but not further than this
MAX_DAYS_AHEAD = 366

_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$")
_YEAR_OR_MONTH = re.compile(r"^\d{4}(-\d{2})?$")


def parse_period_text(text: str, *, label: str = "Period", field: str = "period") -> Period:
    """A period as written by a user: `2026`, `2026-Q1` (also `2026q1`), `2026-03`, or a range
    `2026-01-01..2026-06-30` (a range that is exactly a year, quarter or month is labelled
    as one). InvalidValue naming the field and the value otherwise."""
    raw = (text or "").strip()
    try:
        if ".." in raw:
            first, last = raw.split("..", 1)
            start, end = parse_iso_date(first), parse_iso_date(last)
            if end < start:
                raise ValueError(f"its end {end:%Y-%m-%d} is before its start {start:%Y-%m-%d}")
            return period_of(start, end)
        if m := _QUARTER.match(raw.upper()):
            return parse_period(f"{m.group(1)}-Q{m.group(2)}")
        if _YEAR_OR_MONTH.match(raw):
            return parse_period(raw)
    except ValueError as exc:
        raise InvalidValue(label, f"{raw!r} is not a period: {exc}.", field) from None
    raise InvalidValue(label, f"{raw!r} is not a period (write {PERIOD_FORMS}).", field)


def check_period(period: Period, today: date, *, label: str = "Period", field: str = "period") -> Period:
    """A period Bookwise can report on: from 1900, starting no later than today and ending no
    more than MAX_DAYS_AHEAD days after it (this year and this quarter are fine)."""
    shown = f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}"
    if period.start < FIRST_DAY:
        raise InvalidValue(label, f"{shown} starts before {FIRST_DAY:%Y-%m-%d}.", field)
    if period.start > today:
        raise InvalidValue(label, f"{shown} starts after today ({today:%Y-%m-%d}): no data yet.", field)
    if period.end > today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidValue(label, f"{shown} ends more than a year after today ({today:%Y-%m-%d}).", field)
    return period


def check_as_of(day: date, today: date, *, label: str = "As of", field: str = "as_of") -> date:
    """An as-of date: from 1900 up to today (figures as of a future day are not known)."""
    if day < FIRST_DAY:
        raise InvalidValue(label, f"{day:%Y-%m-%d} is before {FIRST_DAY:%Y-%m-%d}.", field)
    if day > today:
        raise InvalidValue(label, f"{day:%Y-%m-%d} is after today ({today:%Y-%m-%d}).", field)
    return day


def resolve_period(
    text: str | None, start: date | None, end: date | None, *, today: date, default: Period
) -> Period:
    """The period asked for: `text` (any PERIOD_FORMS; `custom` means start..end), or start and
    end, or neither (`default`). Checked against today's bounds."""
    text = (text or "").strip()
    if text and text != "custom":
        if start is not None or end is not None:
            raise InvalidValue("Period", f"give {text!r} or a start and an end, not both.", "period")
        return check_period(parse_period_text(text), today)
    if start is None and end is None:
        if text == "custom":
            raise InvalidValue("Start", "a custom range needs a start and an end date.", "start")
        return default
    if start is None or end is None:
        field = "start" if start is None else "end"
        message = "give both start and end, or neither (default: the last complete quarter of the data)."
        raise InvalidValue(field.capitalize(), message, field)
    if end < start:
        raise InvalidValue("End", f"{end:%Y-%m-%d} is before the start {start:%Y-%m-%d}.", "end")
    return check_period(period_of(start, end), today, label="Start", field="start")


# --- Defaults ---------------------------------------------------------------------------


def quarter_of(day: date) -> Period:
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def last_complete_quarter(today: date) -> Period:
    """The last calendar quarter that has fully ended before `today`."""
    return quarter_of(today).previous()


def default_period(last_day: date | None, today: date) -> Period:
    """The last complete quarter of the data: the quarter of the book's last order line (up to
    today) when that line is in the quarter's last month and the quarter has ended, else the
    quarter before. A book without lines: the last complete quarter before today."""
    if last_day is None:
        return last_complete_quarter(today)
    end = min(last_day, today)
    quarter = quarter_of(end)
    if end.month == quarter.end.month and quarter.end < today:
        return quarter
    return quarter.previous()


def default_as_of(period: Period, today: date) -> date:
    """Today for a current book (its default period is the last complete quarter before
    today); for a history that stops earlier, the end of its default period."""
    return today if period == last_complete_quarter(today) else period.end


# --- Incomplete comparisons -------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """What the whole book holds around a comparison: its first and last order line, and
    the months of P' and P (their first days) without any order line at all."""

    first_day: date | None
    last_day: date | None
    empty_months: tuple[date, ...] = ()


def months_of(start: date, end: date) -> list[date]:
    """First days of the calendar months that [start, end] touches."""
    month, months = start.replace(day=1), []
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def comparison_warnings(period: Period, coverage: Coverage, today: date) -> list[str]:
    """Why a comparison of P with P' is over incomplete data, one sentence each (none when
    the book's lines cover both periods month by month)."""
    prev = period.previous()
    first, last = coverage.first_day, coverage.last_day
    if first is None or last is None:
        return ["The book has no order line: there is nothing to compare."]
    warnings = []
    if first > prev.end:
        warnings.append(
            f"The book's history starts on {first:%Y-%m-%d}, after the base period P′ "
            f"({_span(prev)}): no account can be in the base, so retention is undefined."
        )
    elif first.replace(day=1) > prev.start:  # months are the unit: a first line on the 5th is fine
        warnings.append(
            f"The book's history starts on {first:%Y-%m-%d}, inside the base period P′ "
            f"({_span(prev)}): the base is partial, so NRR and GRR may be inflated."
        )
    if period.end > today:
        warnings.append(
            f"P ({_span(period)}) is not over yet (today is {today:%Y-%m-%d}): its revenue is partial."
        )
    if add_months(last.replace(day=1), 1) <= min(period.end, today):  # whole months after the last line
        warnings.append(
            f"The book's history ends on {last:%Y-%m-%d}, inside P ({_span(period)}): "
            "revenue after it is missing, so accounts may look lost."
        )
    gaps = [m for m in coverage.empty_months if first.replace(day=1) < m <= last]
    if gaps:
        names = ", ".join(f"{m:%Y-%m}" for m in gaps)
        warnings.append(f"No order line in the whole book in {names}: data may be missing there.")
    return warnings


def _span(period: Period) -> str:
    return f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}"
