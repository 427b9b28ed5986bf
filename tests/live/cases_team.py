"""Live cases of the days-off API, the calendar of non-working days (merged into cases.CASES)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from bookwise.team.models import NonWorkingDay

from .world import World

_AHEAD = itertools.count(10)  # a fresh day for every target: no day is ever off twice


def _days_add(w: World) -> Any:
    from .cases import Target

    first = w.today + timedelta(days=next(_AHEAD) * 3)
    body = {"date": first.isoformat(), "end": (first + timedelta(days=2)).isoformat(),
            "rep_id": "R1", "reason": "Annual leave"}  # fmt: skip
    days = NonWorkingDay.objects.filter(rep=w.org["R1"], date__range=(first, first + timedelta(days=2)))
    return Target({}, body, lambda: days.count() == 3)


def _day_remove(w: World) -> Any:
    from .cases import Target

    day = NonWorkingDay.objects.create(
        rep=w.org["R1"], date=w.today + timedelta(days=next(_AHEAD) * 3), reason="Sick leave"
    )
    return Target({"day_id": day.pk}, None, lambda: not NonWorkingDay.objects.filter(pk=day.pk).exists())


def days_off_cases() -> dict[tuple[str, str], Any]:
    from .cases import Case

    return {
        ("POST", "/api/days-off"): Case("M1", "R3", 404, _days_add, 201),
        ("DELETE", "/api/days-off/{day_id}"): Case("M1", "M2", 404, _day_remove),
    }
