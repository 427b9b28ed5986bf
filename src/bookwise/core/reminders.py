"""A reminder by email, sent once: its row (whose unique key names the reminder, e.g. a plan
and its due date) is written first, and the mail goes out only when that row commits; a
second attempt at the same reminder meets the unique key and sends nothing. Plan review
reminders and agreement renewal reminders both send this way."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction


def send_once(record: Callable[[], object], recipients: list[str], message: tuple[str, str]) -> bool:
    """Write the reminder's row (`record`), then mail `message` (subject, body) to the
    recipients on commit. False when the reminder was already recorded (nothing sent)."""
    try:
        with transaction.atomic():
            record()
            if recipients:
                subject, body = message
                sender = settings.DEFAULT_FROM_EMAIL
                transaction.on_commit(lambda: send_mail(subject, body, sender, recipients))
    except IntegrityError:
        return False
    return True
