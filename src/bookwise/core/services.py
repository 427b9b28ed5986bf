from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from .actor import Acting, acting
from .errors import RuleViolation
from .models import ApiToken, AuditEntry

LABEL = 200
MAX_TOKEN_DAYS = 366


def audit_record(
    *, actor: Any, action: str, obj: models.Model, data: dict | None = None, account: Any = None
) -> AuditEntry:
    """Record an audited step: who (`actor`, a User; None = whoever is acting: the request's
    user or the command's person), what (`action` on `obj`, with its before/after in `data`),
    when, and the account it concerns (`account`, else `obj` when it is or has an account)."""
    entry = audit_entry(acting(actor), action=action, obj=obj, data=data, account=account)
    entry.save()
    return entry


def audit_record_many(*, actor: Any, action: str, items: Iterable[tuple[models.Model, dict]]) -> int:
    """One entry per (object, data) in one insert, for bulk steps (an import); the count."""
    who = acting(actor)
    entries = [audit_entry(who, action=action, obj=obj, data=data) for obj, data in items]
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def audit_changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """(before, after) of the fields that differ, for an entry's data."""
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def audit_entry(
    who: Acting, *, action: str, obj: models.Model, data: dict | None, account: Any = None
) -> AuditEntry:
    """An unsaved entry for `obj`, its labels and account filled in."""
    account = account if account is not None else account_of(obj)
    payload = {**(data or {}), **who.extra}
    return AuditEntry(
        actor=who.user,
        actor_name=who.name[:LABEL],
        via=who.via,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:LABEL],
        account_ref=account.pk if account is not None else None,
        account_label=account_label(account),
        data=payload,
    )


def account_of(obj: models.Model) -> Any:
    """The account an object is about: itself when it is one, else its `account` (a transfer,
    an ownership, a plan, a pin...), else None."""
    if obj._meta.label_lower == "accounts.account":
        return obj
    if any(f.name == "account" and f.is_relation for f in obj._meta.concrete_fields):
        return getattr(obj, "account", None)
    return None


def account_label(account: Any) -> str:
    if account is None:
        return ""
    external_id, name = getattr(account, "external_id", ""), getattr(account, "name", "")
    return " ".join(part for part in (external_id, name) if part)[:LABEL]


def api_token_create(*, user: Any, label: str = "", days: int | None = None, rotate: bool = False) -> str:
    """Make an API token for `user`, valid `days` days (settings.API_TOKEN_DAYS when None);
    returns the key (shown once, stored hashed). With `rotate`, the user's other tokens stop
    working now. Audited: a token is a login."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise RuleViolation(f"Days: a token lives 1 to {MAX_TOKEN_DAYS} days, not {days}.", {"field": "days"})
    now = timezone.now()
    revoked = 0
    if rotate:
        revoked = ApiToken.objects.filter(user=user, expires_at__gt=now).update(expires_at=now)
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, digest=ApiToken.hash(key), label=label, expires_at=now + timedelta(days=days)
    )
    data = {"user": user.username, "label": label, "expires_at": token.expires_at, "revoked": revoked}
    audit_record(actor=None, action="api_token.create", obj=token, data=data)
    return key
