"""Ownership history that may no longer change: periods frozen by another domain.

An approved commission run paid reps by the ownership history as it stood; changing who
owned an account on a day of that period would make the paid statements disagree with the
history. Commissions sits above accounts, so it registers where its frozen periods come from
(`register_freeze`, from its AppConfig.ready()); the transfer workflow (at drafting and at
completion) and the ownership and accounts imports ask here, never commissions directly.
A change whose dates reach into a frozen period is refused: it must take effect after the
last frozen period (routing it to the next open period as an adjustment is not taken:
refusing keeps the paid statements and the history in agreement).

Reading the frozen periods and freezing one are serialised: every reader holds a shared
lock until its transaction ends (`frozen_periods`), and freezing takes it exclusively
(`freezing`), so a transfer completed at the very moment a run is approved either lands
first (and the approval sees the changed history) or waits and sees the period frozen.
On PostgreSQL the lock is a transaction-level advisory lock; SQLite needs none, its
writers already take the database lock at BEGIN (`transaction_mode=IMMEDIATE`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Q

from bookwise.accounts.models import Ownership
from bookwise.core.dates import Period
from bookwise.core.validation import InvalidValue

_SOURCES: list[Callable[[], list[Period]]] = []
FREEZE_LOCK = 0x42_57_46_5A  # "BWFZ": the advisory lock's key, one for the whole database


def _advisory_lock(function: str) -> None:
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s)", [FREEZE_LOCK])


def freezing() -> None:
    """Take the freeze lock exclusively until the current transaction ends: call it before
    checking and freezing a period (a commission run's approval)."""
    _advisory_lock("pg_advisory_xact_lock")


def register_freeze(source: Callable[[], list[Period]]) -> None:
    """Add a source of frozen periods (each call of `source` reads them afresh)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def frozen_periods() -> list[Period]:
    """Every frozen period, latest end first; the periods stay as read until the current
    transaction ends (nothing can freeze another meanwhile)."""
    _advisory_lock("pg_advisory_xact_lock_shared")
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


def history_changed_since(moment: datetime, start: date, end: date) -> list[str]:
    """The accounts (external ids, sorted) whose ownership over [start, end] was written
    after `moment`: a run computed before then paid by a history that is no longer so."""
    rows = Ownership.objects.filter(updated_at__gt=moment, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    return sorted(set(rows.values_list("account__external_id", flat=True)))
