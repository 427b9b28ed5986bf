"""What the book's order lines cover, for the period rules of core.periods: the default period
and as-of date of the data, and the warnings of a comparison over incomplete data.

These read the whole book, not a user's view: how far the imported history reaches is a fact
of the import, and a rep whose customers stopped buying must still see the quarter they
stopped in (docs/retention.md, "Any period")."""

from __future__ import annotations

from datetime import date

from django.db.models import Max, Min

from bookwise.accounts.models import OrderLine
from bookwise.core.dates import Period, add_months
from bookwise.core.periods import Coverage, comparison_warnings, default_as_of, default_period, months_of


def book_extent() -> tuple[date | None, date | None]:
    """The dates of the book's first and last order line (None, None without lines). Two
    statements: SQLite answers a lone MIN or MAX from the end of the order_date index, but
    both in one statement by reading every line (0.3 s on 5,000,000 lines, each call)."""
    lines = OrderLine.objects.order_by()
    return lines.aggregate(first=Min("order_date"))["first"], lines.aggregate(last=Max("order_date"))["last"]


def data_defaults(today: date) -> tuple[Period, date]:
    """The default period (the last complete quarter of the data) and as-of date."""
    period = default_period(book_extent()[1], today)
    return period, default_as_of(period, today)


def empty_months(start: date, end: date) -> tuple[date, ...]:
    """Months touching [start, end] without any order line in the book (one index probe each)."""
    lines = OrderLine.objects.order_by()
    return tuple(
        month
        for month in months_of(start, end)
        if not lines.filter(order_date__gte=month, order_date__lt=add_months(month, 1)).exists()
    )


def coverage(period: Period) -> Coverage:
    first, last = book_extent()
    if first is None or last is None:
        return Coverage(None, None)
    prev = period.previous()
    inside = (max(prev.start, first), min(period.end, last))
    months = empty_months(*inside) if inside[0] <= inside[1] else ()
    return Coverage(first, last, months)


def period_warnings(period: Period, today: date) -> list[str]:
    """Why comparing P with P' is over incomplete data (core.periods.comparison_warnings)."""
    return comparison_warnings(period, coverage(period), today)
