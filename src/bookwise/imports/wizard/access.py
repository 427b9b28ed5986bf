"""Who may use the import wizard: administrators (staff or superusers) and the members of
a sales-ops group (`settings.BOOKWISE["import_groups"]`, default `["Sales ops"]`)."""

from __future__ import annotations

import time
from typing import Any

from bookwise.people.selectors import in_sales_ops_group, scope_for


def may_import(user: Any) -> bool:
    """Administrators, sales ops, and any other member of a sales-ops group (a rep too)."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    return scope.admin or scope.sales_ops or in_sales_ops_group(user)


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
