"""Who may use the import wizard: administrators (staff or superusers) and the members of
a sales-ops group (`settings.BOOKWISE["import_groups"]`, default `["Sales ops"]`)."""

from __future__ import annotations

import time
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


NAV_KEY = "imports_wizard_nav"
NAV_SECONDS = 60


def shows_wizard(request: Any) -> bool:
    """Whether the navigation offers the wizard: `may_import`, remembered in the session for
    a minute so that pages do not query the user's groups each time (the wizard's pages
    check `may_import` afresh on every request)."""
    now = time.time()
    seen = request.session.get(NAV_KEY)
    if isinstance(seen, list) and len(seen) == 2 and 0 <= now - float(seen[1]) < NAV_SECONDS:
        return bool(seen[0])
    allowed = may_import(request.user)
    request.session[NAV_KEY] = [allowed, now]
    return allowed
