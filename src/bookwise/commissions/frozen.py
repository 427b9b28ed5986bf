"""Approved commission runs freeze their period's ownership history.

An approved run paid reps by the ownership history as it stood; changing who owned an
account on a day of an approved period would make the paid statements disagree with the
history. So a change of ownership whose dates reach into an approved period is refused
(by the transfer workflow at drafting and at completion, and by the ownership import):
the change must take effect after the last approved period. (The alternative, routing the
change to the next open period as an adjustment, is not taken: refusing keeps the paid
statements and the history in agreement.)"""

from __future__ import annotations

from datetime import date, timedelta

from bookwise.core.dates import Period, parse_period
from bookwise.core.validation import InvalidValue

from .models import Run, RunStatus


def approved_periods() -> list[Period]:
    """The periods of the approved runs, latest end first."""
    labels = Run.objects.filter(status=RunStatus.APPROVED).values_list("period", flat=True)
    return sorted((parse_period(label) for label in labels), key=lambda p: p.end, reverse=True)


def frozen_overlap(start: date, end: date | None, periods: list[Period]) -> Period | None:
    """The latest approved period that [start, end] (end None = open) reaches into."""
    return next((p for p in periods if p.end >= start and (end is None or p.start <= end)), None)


def check_not_frozen(
    effective: date, *, label: str = "Effective date", field: str = "effective_date"
) -> None:
    """Refuse an ownership change from `effective` on when an approved period ends on or
    after that day (the change would rewrite the history the approved run paid by)."""
    period = frozen_overlap(effective, None, approved_periods())
    if period is not None:
        raise InvalidValue(
            label,
            f"{effective:%Y-%m-%d} would change who owned the account during {period.label}, whose "
            f"commission run is approved and frozen; choose a date from "
            f"{period.end + timedelta(days=1):%Y-%m-%d} on.",
            field,
        )
