from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry


def audit_record(*, actor: Any, action: str, obj: models.Model, data: dict | None = None) -> AuditEntry:
    """Record an audited step. `actor` is a User or None (a command or the system)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data or {},
    )


def api_token_create(*, user: Any, label: str = "") -> str:
    """Make an API token for `user`; returns the key (shown once, stored hashed)."""
    import secrets

    from .models import ApiToken

    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=ApiToken.hash(key), label=label)
    return key
