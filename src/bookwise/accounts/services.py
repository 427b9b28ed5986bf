"""Writes to the book of business: ownership history and lost reasons, and the rules of an
account's own values (potential revenue, created date, lost date and reason) that every
path (the import, the admin, the lost-reason form and API) checks through here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from bookwise.core.errors import Conflict, RuleViolation
from bookwise.core.services import audit_record
from bookwise.core.validation import InvalidValue, amount_not_negative, date_within
from bookwise.people.models import Rep
from bookwise.people.services import rep_label

from .models import Account, AccountStatus, LostReason, OrderLine, Ownership, lost_cause

#: no customer of ours was won before this (a created date before it is a typo)
OLDEST_CREATED_DATE = date(1900, 1, 1)


def check_potential(value: Decimal | None) -> Decimal | None:
    """Potential revenue (the annual wallet): empty, or 0 or more."""
    if value is not None:
        amount_not_negative(value, "Potential revenue", field="potential_revenue")
    return value


def check_created_date(value: date | None, today: date) -> date | None:
    """Created date (the day the customer was won): empty, or from 1900 up to today."""
    if value is not None:
        date_within(
            value,
            "Created date",
            not_before=OLDEST_CREATED_DATE,
            not_after=today,
            after_what="today",
            field="created_date",
        )
    return value


def account_start(account: Account) -> date | None:
    """The customer's start: the earlier of its created date and its first order."""
    first = OrderLine.objects.filter(account=account).aggregate(first=Min("order_date"))["first"]
    known = [d for d in (account.created_date, first) if d is not None]
    return min(known) if known else None


def check_lost(account: Account, *, reason: str, lost_date: date | None, today: date) -> date:
    """A lost reason chosen among the causes, and a lost date not before the account's
    start nor after today; returns the lost date (the one recorded when none is given)."""
    if not reason:
        raise InvalidValue("Lost reason", "choose a cause.", "lost_reason")
    if reason not in LostReason.values:
        choices = ", ".join(label.lower() for label in LostReason.labels)
        raise InvalidValue("Lost reason", f"{reason!r} is not a cause (choose {choices}).", "lost_reason")
    day = lost_date or account.lost_date
    if day is None:
        raise InvalidValue("Lost date", "the date the account was lost is required.", "lost_date")
    return date_within(
        day,
        "Lost date",
        not_before=account_start(account),
        not_after=today,
        before_what="the account's start",
        after_what="today",
        field="lost_date",
    )


@dataclass(frozen=True)
class Interval:
    role: str
    start: date
    end: date | None  # None = open

    def overlaps(self, other: Interval) -> bool:
        far = date.max
        return self.start <= (other.end or far) and other.start <= (self.end or far)


def find_overlaps(intervals: Iterable[Interval]) -> list[tuple[Interval, Interval]]:
    """Pairs of same-role intervals that overlap (history must have none)."""
    by_role: dict[str, list[Interval]] = {}
    for interval in intervals:
        by_role.setdefault(interval.role, []).append(interval)
    clashes = []
    for items in by_role.values():
        items.sort(key=lambda i: i.start)
        for earlier, later in zip(items, items[1:], strict=False):
            if earlier.overlaps(later):
                clashes.append((earlier, later))
    return clashes


def _check_history(account: Account, extra: Interval | None = None) -> None:
    intervals = [Interval(o.role, o.start_date, o.end_date) for o in account.ownerships.all()]
    if extra:
        intervals.append(extra)
    clashes = find_overlaps(intervals)
    if clashes:
        a, b = clashes[0]
        raise Conflict(
            f"Account {account.external_id}: {a.role} assignments overlap "
            f"({a.start}..{a.end or 'open'} and {b.start}..{b.end or 'open'}).",
            {"field": "start_date"},
        )


def _end_open_assignment(account: Account, role: str, start: date) -> Rep | None:
    """End the open (locked) `role` assignment of `account` the day before `start`, which
    must come after its own start; the rep who held it (None when nobody did)."""
    current = (
        Ownership.objects.select_for_update()
        .filter(account=account, role=role, end_date__isnull=True)
        .first()
    )
    if current is None:
        return None
    previous = current.rep
    if current.start_date >= start:
        raise Conflict(
            f"Account {account.external_id} already has a {role} owner from "
            f"{current.start_date}; a new one must start after that.",
            {"field": "start_date"},
        )
    current.end_date = start - timedelta(days=1)
    current.save(update_fields=["end_date", "updated_at"])
    return previous


@transaction.atomic
def ownership_assign(
    *,
    account: Account,
    rep: Rep,
    start: date,
    role: str = "primary",
    reason: str = "transfer",
    actor: Any = None,
) -> Ownership:
    """Give `account` to `rep` in `role` from `start`: the open assignment of that role
    ends the day before (locked, so two concurrent assignments cannot both win)."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    previous = _end_open_assignment(account, role, start)
    _check_history(account, Interval(role, start, None))
    assignment = Ownership.objects.create(
        account=account, rep=rep, role=role, start_date=start, reason=reason
    )
    audit_record(
        actor=actor,
        action="ownership.assign",
        obj=account,
        data={
            "role": role,
            "start": start.isoformat(),
            "reason": reason,
            "before": {"owner": rep_label(previous)},
            "after": {"owner": rep_label(rep)},
        },
    )
    return assignment


@transaction.atomic
def ownership_end(*, assignment: Ownership, end: date, actor: Any = None) -> Ownership:
    """End an open assignment on `end` (its last day), e.g. when co-coverage runs out."""
    assignment = Ownership.objects.select_for_update().select_related("rep", "account").get(pk=assignment.pk)
    if assignment.end_date is not None and assignment.end_date <= end:
        return assignment
    if end < assignment.start_date:
        raise RuleViolation("An assignment cannot end before it starts.", {"field": "end_date"})
    before = assignment.end_date
    assignment.end_date = end
    assignment.save(update_fields=["end_date", "updated_at"])
    audit_record(
        actor=actor,
        action="ownership.end",
        obj=assignment.account,
        data={
            "rep": rep_label(assignment.rep),
            "role": assignment.role,
            "before": {"end": before.isoformat() if before else None},
            "after": {"end": end.isoformat()},
        },
    )
    return assignment


@transaction.atomic
def account_record_lost(
    *, account: Account, lost_date: date | None, reason: str, actor: Any, today: date | None = None
) -> Account:
    """Mark an account lost (or update the reason of a lost one), audited (rules: check_lost)."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    day = check_lost(account, reason=reason, lost_date=lost_date, today=today or timezone.localdate())
    before = {
        "status": account.status,
        "lost_reason": account.lost_reason,
        "lost_date": account.lost_date.isoformat() if account.lost_date else None,
    }
    account.status = AccountStatus.LOST
    account.lost_date = day
    account.lost_reason = reason
    account.save(update_fields=["status", "lost_date", "lost_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="account.lost_reason",
        obj=account,
        data={
            "before": before,
            "reason": reason,
            "cause": lost_cause(reason),
            "lost_date": account.lost_date.isoformat(),
        },
    )
    return account
