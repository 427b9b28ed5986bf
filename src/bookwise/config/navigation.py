"""The top navigation: each role sees only the sections it may open (a context processor)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bookwise.imports.wizard.access import shows_wizard
from bookwise.people.selectors import scope_for
from bookwise.rebalance.scopes import may_rebalance_any

# (label, url, who sees it: "all" signed-in users, "admins", or "everything": admins,
# directors and sales ops, who see the whole book; "rebalancers": those and sales managers
# (rebalance.scopes.may_rebalance_any); "sales_ops": the import wizard's users who are not admins)
NAVIGATION = [
    ("Dashboard", "/", "all"),
    ("Accounts", "/accounts/", "all"),
    ("Reps", "/reps/", "all"),
    ("Retention", "/retention/", "all"),
    ("Agreements", "/agreements/", "all"),
    ("Transfers", "/transfers/", "all"),
    ("Rebalance", "/rebalance/", "rebalancers"),
    ("Plans", "/plans/", "all"),
    ("Commissions", "/commissions/", "all"),
    ("Team", "/team/", "all"),
    ("Goals", "/goals/", "all"),
    ("Import", "/imports/", "admins"),
    ("Import", "/imports/wizard/", "sales_ops"),  # the import wizard, for sales ops who are not admins
    ("Jobs", "/jobs/", "all"),
    ("Audit", "/audit/", "everything"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = scope_for(user)
    allowed = {
        "all": True,
        "admins": scope.admin,
        "everything": scope.everything,
        "rebalancers": may_rebalance_any(user),
        "sales_ops": not scope.admin and shows_wizard(request),
    }
    shown = [(label, url) for label, url, who in NAVIGATION if allowed.get(who, False)]
    items = [(label, url, is_current(url, request.path)) for label, url in shown]
    return {"nav_items": items, "user_scope": scope, "current_path": request.path}


def is_current(url: str, path: str) -> bool:
    """The section a page belongs to: its path starts with the section's (the home page only
    for itself; /transfers/plans/ is Transfers, not Plans)."""
    return path == "/" if url == "/" else path.startswith(url)
