"""The periods a run is computed for."""

from __future__ import annotations

from datetime import date

from django.db.models import Min

from bookwise.accounts.selectors import today as current_day
from bookwise.core.validation import InvalidValue

from ..compute.period import PayPeriod
from ..models import PlanVersion


def current_label(kind: str, day: date) -> str:
    """The label of the month, quarter or year containing `day`."""
    if kind == "year":
        return str(day.year)
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day:%Y-%m}"


def check_period(period: str, today: date | None = None) -> PayPeriod:
    """A period commissions are computed for: a month, quarter or year that has started
    (up to the current one) and does not end before the first commission plan starts."""
    try:
        span = PayPeriod.parse(period)
    except ValueError as exc:
        raise InvalidValue("Period", str(exc), "period") from None
    day = today or current_day()
    if span.start > day:
        current = current_label(span.kind, day)
        message = f"{period} has not started yet; runs are for periods up to the current one ({current})."
        raise InvalidValue("Period", message, "period")
    first = PlanVersion.objects.aggregate(first=Min("valid_from"))["first"]
    if first is None:
        raise InvalidValue(
            "Period", f"no commission plan is loaded, so {period} has nothing to pay.", "period"
        )
    if span.end < first:
        message = f"{period} ends before the first commission plan starts ({first:%Y-%m-%d})."
        raise InvalidValue("Period", message, "period")
    return span
