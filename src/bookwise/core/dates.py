"""Date arithmetic shared by every rule: month clamping, periods, trailing windows."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """Same day N months later, clamped to the month's end (2025-11-30 + 3 = 2026-02-28)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def completed_months(start: date, end: date) -> int:
    """Largest N with add_months(start, N) <= end (0 when end < start + 1 month)."""
    if end < start:
        return 0
    n = (end.year - start.year) * 12 + (end.month - start.month)
    while n > 0 and add_months(start, n) > end:
        n -= 1
    return max(n, 0)


@dataclass(frozen=True)
class Period:
    """A closed date range [start, end] with a label (2026-Q1, 2026-03, 2026 or custom)."""

    start: date
    end: date
    label: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> int:
        """How many calendar months P is made of (0 when it does not start on a 1st and end on
        a month's last day)."""
        return whole_months(self.start, self.end)

    def previous(self) -> Period:
        """P' (METRICS.md notation, the one home of the rule): a period of whole calendar months
        steps back by as many calendar months (2026-01-01..2026-06-30 -> 2025-07-01..2025-12-31,
        2026-Q1 -> 2025-Q4, 2026 -> 2025); any other period by as many days. P' ends the day
        before P starts."""
        end = self.start - timedelta(days=1)
        months = self.whole_months
        if months:
            return period_of(add_months(self.start, -months), end)
        return period_of(end - timedelta(days=self.days - 1), end)

    def year_earlier(self) -> Period:
        """The same calendar stretch 12 months earlier (2024-02 -> 2023-02, to its last day)."""
        start = add_months(self.start, -12)
        if self.whole_months:
            return period_of(start, add_months(start, self.whole_months) - timedelta(days=1))
        return period_of(start, add_months(self.end, -12))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def period_kind(label: str) -> str:
    if _YEAR.match(label):
        return "year"
    if _QUARTER.match(label):
        return "quarter"
    if _MONTH.match(label):
        return "month"
    return "custom"


def parse_period(label: str) -> Period:
    """`2026`, `2026-Q1` or `2026-03` as a Period; ValueError otherwise."""
    if m := _YEAR.match(label):
        year = int(m.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31), label)
    if m := _QUARTER.match(label):
        year, quarter = int(m.group(1)), int(m.group(2))
        start = date(year, 3 * quarter - 2, 1)
        return Period(start, add_months(start, 3) - timedelta(days=1), label)
    if m := _MONTH.match(label):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"{label!r}: month must be 01 to 12")
        start = date(year, month, 1)
        return Period(start, add_months(start, 1) - timedelta(days=1), label)
    raise ValueError(f"{label!r} is not a period (use 2026, 2026-Q1 or 2026-03)")


def custom_period(start: date, end: date) -> Period:
    if end < start:
        raise ValueError(f"period end {end} is before its start {start}")
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def whole_months(start: date, end: date) -> int:
    """N when [start, end] is exactly N calendar months (starts on a 1st, ends on the last day
    of a month), else 0."""
    after = end + timedelta(days=1)
    if start.day != 1 or after.day != 1 or end < start:
        return 0
    return (after.year - start.year) * 12 + after.month - start.month


def period_of(start: date, end: date) -> Period:
    """[start, end] labelled as the calendar year, quarter or month it is exactly (`2026`,
    `2026-Q1`, `2026-03`), else as a custom range (`2026-01-01..2026-06-30`)."""
    months = whole_months(start, end)
    if months == 12 and start.month == 1:
        return parse_period(str(start.year))
    if months == 3 and start.month % 3 == 1:
        return parse_period(f"{start.year}-Q{(start.month - 1) // 3 + 1}")
    if months == 1:
        return parse_period(f"{start.year}-{start.month:02d}")
    return custom_period(start, end)


def trailing_12_months(day: date) -> Period:
    """T12M at d: [d - 12 months + 1 day, d]."""
    return Period(add_months(day, -12) + timedelta(days=1), day, "")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_date(text: str) -> date:
    """Strict ISO `YYYY-MM-DD`; ValueError with the text otherwise."""
    raw = text.strip()
    try:
        if not _ISO_DATE.match(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD)") from None
