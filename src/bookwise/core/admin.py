"""Admin registrations of core, the read-only base for records only services write, and
AuditedAdmin: every add, change and delete made through the admin goes to the audit trail
with the changed fields before and after. The trail itself is read-only here."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.http import HttpRequest

from .models import ApiToken, AuditEntry, LoginFailure
from .services import audit_changes, audit_record

SKIP = {"created_at", "updated_at", "last_login"}


def audit_snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's fields as people read them: related objects by name, many-to-many as
    sorted names, a password as a short fingerprint (never the hash)."""
    values: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.name in SKIP:
            continue
        if f.is_relation:
            related = getattr(obj, f.name)
            values[f.name] = str(related) if related is not None else None
        elif f.name == "password":
            digest = hashlib.sha256(str(f.value_from_object(obj)).encode()).hexdigest()
            values[f.name] = f"hidden #{digest[:8]}"
        else:
            values[f.name] = f.value_from_object(obj)
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            values[m2m.name] = sorted(str(o) for o in getattr(obj, m2m.name).all())
    return values


class AuditedAdmin(admin.ModelAdmin):
    """Records add/change/delete in the audit trail as `<app>.<model>.add|change|delete`,
    by the signed-in admin, with before/after (a subclass adds facts with audit_extra)."""

    def audit_extra(self, obj: models.Model) -> dict[str, Any]:
        """More of the object to keep when it is deleted (e.g. an account's owners)."""
        return {}

    def _action(self, op: str) -> str:
        return f"{self.model._meta.label_lower}.{op}"

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if change and form.instance.pk is not None:
            stored = type(form.instance)._default_manager.filter(pk=form.instance.pk).first()
            befores = request.__dict__.setdefault("_audit_before", {})
            befores[(self.model._meta.label_lower, str(form.instance.pk))] = (
                audit_snapshot(stored) if stored is not None else {}
            )
        return super().save_form(request, form, change)

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        logged = super().log_addition(request, obj, message)
        after = {k: v for k, v in audit_snapshot(obj).items() if v not in (None, "", [])}
        audit_record(actor=request.user, action=self._action("add"), obj=obj, data={"after": after})
        return logged

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        logged = super().log_change(request, obj, message)
        befores = request.__dict__.get("_audit_before", {})
        before = befores.pop((self.model._meta.label_lower, str(obj.pk)), {})
        old, new = audit_changes(before, audit_snapshot(obj))
        data = {"before": old, "after": new, "changes": message}
        audit_record(actor=request.user, action=self._action("change"), obj=obj, data=data)
        return logged

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        logged = super().log_deletions(request, queryset)
        for obj in queryset:
            data = {"before": {**audit_snapshot(obj), **self.audit_extra(obj)}}
            audit_record(actor=request.user, action=self._action("delete"), obj=obj, data=data)
        return logged


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only: the trail cannot be added to, changed or deleted here (see /audit/)."""

    list_display = ["at", "actor_name", "via", "action", "object_label", "account_label"]
    list_filter = ["action", "via", "object_type"]
    search_fields = ["actor_name", "action", "object_label", "account_label", "object_id"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only services write (workflows, rollups, history): the admin shows
    them, searchable and filterable, but changes go through the pages that apply the rules."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def register_read_only(*models) -> None:
    for model in models:
        fields = [f.name for f in model._meta.fields]
        admin.site.register(
            model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": fields[:7]})
        )


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """Tokens are made with `bookwise token USERNAME` (the key is shown once); here they can
    be seen, and revoked or shortened by moving their expiry (audited)."""

    list_display = ["user", "label", "created_at", "expires_at"]
    search_fields = ["user__username", "label"]
    readonly_fields = ["user", "digest", "label", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(AuditedAdmin):
    """Failed sign-ins (core/throttle.py): deleting a username's rows unlocks it at once
    (audited); nothing is added or changed here."""

    list_display = ["at", "username", "address"]
    search_fields = ["username", "address"]
    readonly_fields = ["at", "username", "address"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Logins, their staff/superuser flags and permissions are settings too: audited.
User = get_user_model()
for model, base in ((User, UserAdmin), (Group, GroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(f"Audited{base.__name__}", (AuditedAdmin, base), {}))
