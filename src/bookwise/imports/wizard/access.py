"""Who may use the import wizard: administrators (staff or superusers) and the members of
a sales-ops group (`settings.BOOKWISE["import_groups"]`, default `["Sales ops"]`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from bookwise.people.selectors import scope_for

DEFAULT_GROUPS = ("Sales ops",)


def import_groups() -> list[str]:
    names: Any = settings.BOOKWISE.get("import_groups", DEFAULT_GROUPS)
    return [str(name) for name in names]


def may_import(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if scope_for(user).admin:
        return True
    return bool(user.groups.filter(name__in=import_groups()).exists())
