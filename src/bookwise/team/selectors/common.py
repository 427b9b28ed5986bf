"""Shared reads for the team app: settings, windows, whose team a user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from bookwise.core.dates import Period, add_months, trailing_12_months
from bookwise.core.errors import NotFound
from bookwise.core.users import Viewer
from bookwise.people.models import MANAGER_ROLES, Rep
from bookwise.people.selectors import rep_get, scope_for, subordinate_ids

DEFAULTS: dict[str, Any] = {
    "nurturing_threshold": "0.50",
    "weekly_hours_limit": 50,
    "key_accounts_limit": 10,
    "long_weeks_needed": 4,
    "long_weeks_window": 6,
    "manager_focus_threshold": "0.30",
}


def setting(name: str) -> Any:
    return settings.BOOKWISE.get(name, DEFAULTS[name])


def decimal_setting(name: str) -> Decimal:
    return Decimal(str(setting(name)))


@dataclass(frozen=True)
class Windows:
    """T12M at d (cur), the 12 months before (prev), and the 12 months before that (prev2)."""

    day: date
    cur: Period
    prev: Period
    prev2: Period


def windows_at(day: date) -> Windows:
    return Windows(
        day=day,
        cur=trailing_12_months(day),
        prev=trailing_12_months(add_months(day, -12)),
        prev2=trailing_12_months(add_months(day, -24)),
    )


def team_get(*, user: Viewer | None, rep_id: str) -> Rep:
    """A team is identified by its manager's rep id; NotFound when the user may not see the
    manager or the rep has nobody reporting to them."""
    manager = rep_get(user=user, rep_id=rep_id)
    if not Rep.objects.filter(manager=manager).exists():
        raise NotFound("No such team.")
    return manager


def team_member_ids(manager: Rep) -> set[int]:
    """Everyone below the manager, all levels (not the manager themself)."""
    return subordinate_ids(manager.id)


def visible_reps(*, user: Viewer | None) -> QuerySet[Rep]:
    scope = scope_for(user)
    qs = Rep.objects.select_related("manager", "territory").order_by("name")
    return qs if scope.everything else qs.filter(id__in=scope.rep_ids)


def is_manager(rep: Rep) -> bool:
    return rep.role in MANAGER_ROLES
