"""Renewal reminders by email at the notice date, once per agreement and notice date, to the
owner and their manager (the same mechanism as the plan review reminders); the daily job
also marks the agreements whose end date has passed as expired."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from bookwise.core.money import display_money
from bookwise.core.reminders import send_once
from bookwise.people.selectors import owner_and_manager_emails

from . import rules
from .models import Agreement, AgreementReminder


def due_reminders(day: date) -> list[Agreement]:
    """Active agreements whose notice date has come (notice date <= day <= end date) and that
    no later agreement renews yet, not reminded yet for that notice date."""
    qs = Agreement.objects.filter(status="active", end_date__gte=day).exclude(renewals__isnull=False)
    qs = qs.select_related("account", "owner__user", "owner__manager__user").order_by(
        "end_date", "external_id"
    )
    due = [a for a in qs if rules.notice_date(a.end_date, a.notice_days) <= day]
    sent = set(AgreementReminder.objects.filter(agreement__in=due).values_list("agreement_id", "notice_date"))
    return [a for a in due if (a.pk, rules.notice_date(a.end_date, a.notice_days)) not in sent]


def message(a: Agreement) -> tuple[str, str]:
    subject = f"Agreement {a.external_id} ends on {a.end_date.isoformat()}: {a.account.name}"
    body = (
        f"The {a.get_kind_display().lower()} {a.external_id} of {a.account.name} ({a.account.external_id}) "
        f"ends on {a.end_date.isoformat()}; its {a.notice_days}-day renewal notice period starts today.\n"
        f"Committed: {display_money(a.committed_amount)}.\nOwner: {a.owner.name if a.owner else 'none'}\n"
    )
    return subject, body


def reminders_send(*, day: date, dry_run: bool = False) -> list[dict[str, Any]]:
    """Email every agreement whose notice date has come and that was not reminded yet."""
    sent = []
    for agreement in due_reminders(day):
        people = owner_and_manager_emails(agreement.owner)
        notice = rules.notice_date(agreement.end_date, agreement.notice_days)
        record = partial(
            AgreementReminder.objects.create, agreement=agreement, notice_date=notice, recipients=people
        )
        if not dry_run and not send_once(record, people, message(agreement)):
            continue
        sent.append({"agreement_id": agreement.external_id, "account_id": agreement.account.external_id,
                     "notice_date": notice.isoformat(), "recipients": people})  # fmt: skip
    return sent
