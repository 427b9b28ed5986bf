"""Emails about transfers that need someone, sent after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from bookwise.core.users import Viewer
from bookwise.people.models import Rep

from .models import Transfer

MESSAGES = {
    "created": "A transfer of {account} to {to} has been drafted (effective {date}).",
    "handoff": "The handoff interview for {account} is waiting to be filled in.",
    "introduced": "{account} has been introduced to {to}; the transfer is ready to complete.",
    "completed": "{account} now belongs to {to} (effective {date}).",
    "cancelled": "The transfer of {account} to {to} was cancelled.",
}


def recipients(transfer: Transfer, actor: Viewer | None = None) -> list[str]:
    """The incoming and outgoing reps and their direct managers, with an email, not the actor."""
    people: list[Rep] = []
    for rep in (transfer.to_rep, transfer.from_rep):
        if rep is not None:
            people.append(rep)
            if rep.manager is not None:
                people.append(rep.manager)
    actor_email = getattr(actor, "email", None)
    emails = {p.email or (p.user.email if p.user is not None else "") for p in people}
    return sorted(e for e in emails if e and e != actor_email)


def notify(transfer: Transfer, event: str, actor: Viewer | None = None) -> None:
    """Queue one email per recipient for `event`, sent only if the transaction commits."""
    to = recipients(transfer, actor)
    if not to:
        return
    body = MESSAGES[event].format(
        account=f"{transfer.account.name} ({transfer.account.external_id})",
        to=transfer.to_rep.name,
        date=transfer.effective_date,
    )
    subject = f"[Bookwise] Transfer of {transfer.account.external_id}: {event}"
    mails = [(subject, body + f"\n\n/transfers/{transfer.pk}/", settings.DEFAULT_FROM_EMAIL, [e]) for e in to]
    transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
