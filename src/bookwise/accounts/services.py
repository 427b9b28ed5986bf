"""Writes to the book of business: ownership history and lost reasons."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from bookwise.core.errors import Conflict, RuleViolation
from bookwise.core.services import audit_record
from bookwise.people.models import Rep

from .models import Account, AccountStatus, LostReason, Ownership, lost_cause


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
    current = (
        Ownership.objects.select_for_update()
        .filter(account=account, role=role, end_date__isnull=True)
        .first()
    )
    if current is not None:
        if current.start_date >= start:
            raise Conflict(
                f"Account {account.external_id} already has a {role} owner from "
                f"{current.start_date}; a new one must start after that.",
                {"field": "start_date"},
            )
        current.end_date = start - timedelta(days=1)
        current.save(update_fields=["end_date", "updated_at"])
    _check_history(account, Interval(role, start, None))
    assignment = Ownership.objects.create(
        account=account, rep=rep, role=role, start_date=start, reason=reason
    )
    audit_record(
        actor=actor,
        action="ownership.assign",
        obj=account,
        data={"rep": rep.external_id, "role": role, "start": start.isoformat(), "reason": reason},
    )
    return assignment


@transaction.atomic
def ownership_end(*, assignment: Ownership, end: date, actor: Any = None) -> Ownership:
    """End an open assignment on `end` (its last day), e.g. when co-coverage runs out."""
    assignment = Ownership.objects.select_for_update().get(pk=assignment.pk)
    if assignment.end_date is not None and assignment.end_date <= end:
        return assignment
    if end < assignment.start_date:
        raise RuleViolation("An assignment cannot end before it starts.", {"field": "end_date"})
    assignment.end_date = end
    assignment.save(update_fields=["end_date", "updated_at"])
    audit_record(
        actor=actor,
        action="ownership.end",
        obj=assignment.account,
        data={"rep_id": assignment.rep_id, "role": assignment.role, "end": end.isoformat()},
    )
    return assignment


@transaction.atomic
def account_record_lost(*, account: Account, lost_date: date | None, reason: str, actor: Any) -> Account:
    """Mark an account lost (or update the reason of a lost one), audited."""
    if reason and reason not in LostReason.values:
        raise RuleViolation(f"Unknown lost reason {reason!r}.", {"field": "lost_reason"})
    account = Account.objects.select_for_update().get(pk=account.pk)
    before = {"status": account.status, "lost_reason": account.lost_reason}
    account.status = AccountStatus.LOST
    account.lost_date = lost_date or account.lost_date
    if account.lost_date is None:
        raise RuleViolation("A lost account needs its lost date.", {"field": "lost_date"})
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
