"""Review reminders by email: one per plan and due date, however often the command runs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from bookwise.people.models import Rep

from .models import ReviewReminder
from .selectors import OverdueReview, overdue_reviews


def _recipients(owner_id: str | None) -> list[str]:
    """The owner rep and their manager (rep email, else their login's email)."""
    rep = Rep.objects.select_related("user", "manager__user").filter(external_id=owner_id).first()
    found = []
    for person in (rep, rep.manager if rep else None):
        if person is None:
            continue
        email = person.email or (person.user.email if person.user else "")
        if email:
            found.append(email)
    return found


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
        recipients = _recipients(item.owner_id)
        if not dry_run and not _record(item, recipients):
            continue
        sent.append(
            {"plan_id": item.plan_id, "account_id": item.account_id,
             "due_date": item.due_date.isoformat(), "recipients": recipients}
        )  # fmt: skip
    return sent


def _record(item: OverdueReview, recipients: list[str]) -> bool:
    try:
        with transaction.atomic():
            ReviewReminder.objects.create(plan_id=item.plan_id, due_date=item.due_date, recipients=recipients)
            if recipients:
                subject, body = _message(item)
                transaction.on_commit(
                    lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
                )
    except IntegrityError:
        return False
    return True
