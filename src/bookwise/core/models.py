from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class BaseModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditQuerySet(models.QuerySet):
    """The trail is append-only: no bulk update or delete through the ORM."""

    def update(self, **kwargs: Any) -> int:
        raise AuditImmutable("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutable("Audit entries cannot be deleted.")


class AuditImmutable(Exception):
    pass


class AuditEntry(models.Model):
    """Who did what to which object, when, with the before/after in `data`: every audited
    step of every domain. Append-only (the model, the admin and, on PostgreSQL, a trigger
    refuse changes and deletions). Names are kept as they were when the step happened."""

    VIA = [("web", "web page"), ("api", "API"), ("admin", "admin"), ("command", "command line"),
           ("system", "system")]  # fmt: skip

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(max_length=200, blank=True)
    via = models.CharField(max_length=10, choices=VIA, default="system")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=200, blank=True)
    account_ref = models.BigIntegerField(null=True, blank=True, db_index=True, help_text="the account's id")
    account_label = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_label or self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AuditImmutable("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutable("Audit entries cannot be deleted.")


class ApiToken(models.Model):
    """An API token; only its SHA-256 is stored, the key is shown once when made. It works
    until `expires_at` (a call with it after that is a 401)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(help_text="the token is refused from this moment on")

    def __str__(self) -> str:
        return f"token {self.label or self.pk} of {self.user}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def user_for(cls, key: str):
        found = cls.objects.select_related("user").filter(digest=cls.hash(key), expires_at__gt=timezone.now())
        token = found.first()
        if token is None or not token.user.is_active:
            return None
        return token.user


class LoginFailure(models.Model):
    """One failed sign-in (core/throttle.py counts them); rows older than a day are pruned."""

    username = models.CharField(max_length=150, db_index=True, help_text="as typed, lower-cased")
    address = models.CharField(max_length=64, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} from {self.address or '?'}"

    @classmethod
    def record(cls, username: str, address: str) -> None:
        now = timezone.now()
        cls.objects.filter(at__lt=now - timedelta(days=1)).delete()
        cls.objects.create(username=username.strip().lower()[:150], address=address[:64], at=now)
