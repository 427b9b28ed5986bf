"""Review reminders by email: one per plan and due date, however often the command runs."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from bookwise.core.reminders import send_once
from bookwise.people.models import Rep
from bookwise.people.selectors import owner_and_manager_emails

from .models import ReviewReminder
from .selectors import OverdueReview, overdue_reviews


def _message(item: OverdueReview) -> tuple[str, str]:
    subject = f"Plan review overdue: {item.account_name} ({item.account_id})"
    body = (
        f"The {item.cadence} review of the {item.year} plan for {item.account_name} "
        f"({item.account_id}) was due on {item.due_date.isoformat()} and is "
        f"{item.days_overdue} days overdue.\n\nOwner: {item.owner_name or 'none'}\n"
    )
    return subject, body


def reminders_send(*, day: date, dry_run: bool = False) -> list[dict[str, Any]]:
    """Email every flagged overdue review not reminded yet for that due date."""
    sent = []
    for item in overdue_reviews(day=day):
        if ReviewReminder.objects.filter(plan_id=item.plan_id, due_date=item.due_date).exists():
            continue
        owner = Rep.objects.select_related("user", "manager__user").filter(external_id=item.owner_id).first()
        recipients = owner_and_manager_emails(owner)
        record = partial(
            ReviewReminder.objects.create, plan_id=item.plan_id, due_date=item.due_date, recipients=recipients
        )
        if not dry_run and not send_once(record, recipients, _message(item)):
            continue
        sent.append(
            {"plan_id": item.plan_id, "account_id": item.account_id,
             "due_date": item.due_date.isoformat(), "recipients": recipients}
        )  # fmt: skip
    return sent
