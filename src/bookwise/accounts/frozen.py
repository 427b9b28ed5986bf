"""Ownership history that may no longer change: periods frozen by another domain.

An approved commission run paid reps by the ownership history as it stood; changing who
owned an account on a day of that period would make the paid statements disagree with the
history. Commissions sits above accounts, so it registers where its frozen periods come from
(`register_freeze`, from its AppConfig.ready()); the transfer workflow (at drafting and at
completion) and the ownership and accounts imports ask here, never commissions directly.
A change whose dates reach into a frozen period is refused: it must take effect after the
last frozen period (routing it to the next open period as an adjustment is not taken:
refusing keeps the paid statements and the history in agreement)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from bookwise.core.dates import Period
from bookwise.core.validation import InvalidValue

_SOURCES: list[Callable[[], list[Period]]] = []


def register_freeze(source: Callable[[], list[Period]]) -> None:
    """Add a source of frozen periods (each call of `source` reads them afresh)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def frozen_periods() -> list[Period]:
    """Every frozen period, latest end first."""
    periods = [period for source in _SOURCES for period in source()]
    return sorted(periods, key=lambda p: p.end, reverse=True)


def frozen_overlap(start: date, end: date | None, periods: list[Period]) -> Period | None:
    """The latest frozen period that [start, end] (end None = open) reaches into."""
    return next((p for p in periods if p.end >= start and (end is None or p.start <= end)), None)


def check_not_frozen(
    effective: date, *, label: str = "Effective date", field: str = "effective_date"
) -> None:
    """Refuse an ownership change from `effective` on when a frozen period ends on or after
    that day (the change would rewrite the history an approved run paid by)."""
    period = frozen_overlap(effective, None, frozen_periods())
    if period is not None:
        raise InvalidValue(
            label,
            f"{effective:%Y-%m-%d} would change who owned the account during {period.label}, whose "
            f"commission run is approved and frozen; choose a date from "
            f"{period.end + timedelta(days=1):%Y-%m-%d} on.",
            field,
        )
