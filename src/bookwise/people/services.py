"""Writes about people: territories, regions, reps and the reporting lines."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from bookwise.core.errors import RuleViolation

from .models import Region, Rep, Territory
from .selectors import manager_map


def territory_get_or_create(*, name: str, region_name: str | None = None) -> Territory:
    """The territory called `name`, created on first use; its region set when given."""
    territory, _ = Territory.objects.get_or_create(name=name)
    if region_name:
        region, _ = Region.objects.get_or_create(name=region_name)
        if territory.region_id != region.id:
            territory.region = region
            territory.save(update_fields=["region", "updated_at"])
    return territory


def check_no_manager_cycle(managers: dict[Any, Any]) -> list[Any]:
    """Return the reps that sit on a manager cycle in `managers` (rep -> manager)."""
    on_cycle: set[Any] = set()
    for start in managers:
        seen: list[Any] = []
        current = start
        while current is not None and current not in seen:
            seen.append(current)
            current = managers.get(current)
        if current is not None and current == start:
            on_cycle.update(seen)
    return sorted(on_cycle, key=str)


@transaction.atomic
def rep_set_manager(*, rep: Rep, manager: Rep | None) -> Rep:
    """Change a rep's manager; refuse a change that would close a reporting cycle."""
    managers = manager_map()
    managers[rep.id] = manager.id if manager else None
    if check_no_manager_cycle(managers):
        raise RuleViolation(
            f"{manager} cannot manage {rep}: the reporting lines would form a cycle.",
            {"field": "manager"},
        )
    rep.manager = manager
    rep.save(update_fields=["manager", "updated_at"])
    return rep
