"""Writes of the team app. The weekly time sheet: one entry per day and kind."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from bookwise.accounts.models import Activity, ActivityKind
from bookwise.core.errors import RuleViolation
from bookwise.core.services import audit_record
from bookwise.people.models import Rep

SHEET_NOTE = "time sheet"
MAX_DAY_HOURS = Decimal(24)


def check_sheet(
    week_start: date, cells: Mapping[tuple[date, str], Decimal], other: Mapping[date, Decimal]
) -> None:
    """A Monday, days inside the week, known kinds, hours 0-24 with two decimals, and no day
    above 24 hours together with the entries recorded against accounts."""
    if week_start.weekday() != 0:
        raise RuleViolation("A time sheet week starts on a Monday.", {"week": week_start.isoformat()})
    kinds = set(ActivityKind.values)
    per_day: dict[date, Decimal] = dict(other)
    for (day, kind), hours in cells.items():
        if not week_start <= day <= week_start + timedelta(days=6) or kind not in kinds:
            raise RuleViolation(
                "The time sheet has a cell outside its week.", {"day": day.isoformat(), "kind": kind}
            )
        if hours < 0 or hours > MAX_DAY_HOURS or hours != hours.quantize(Decimal("0.01")):
            raise RuleViolation(
                f"{hours} is not a number of hours (0 to 24, two decimals).",
                {"day": day.isoformat(), "kind": kind},
            )
        per_day[day] = per_day.get(day, Decimal(0)) + hours
    too_long = sorted(d.isoformat() for d, h in per_day.items() if h > MAX_DAY_HOURS)
    if too_long:
        raise RuleViolation("A day cannot have more than 24 hours.", {"days": too_long})


@transaction.atomic
def timesheet_save(
    *, rep: Rep, week_start: date, cells: Mapping[tuple[date, str], Decimal], actor: Any
) -> list[Activity]:
    """Replace the rep's time-sheet entries (those not recorded against an account) of one
    ISO week with one entry per non-zero cell. Entries against accounts (imported or logged
    elsewhere) are kept and count towards the 24 hours a day."""
    week_end = week_start + timedelta(days=6)
    Rep.objects.select_for_update().filter(pk=rep.pk).first()
    week = Activity.objects.filter(rep=rep, date__range=(week_start, week_end))
    other: dict[date, Decimal] = {}
    for day, hours in week.filter(account__isnull=False).values_list("date", "hours"):
        other[day] = other.get(day, Decimal(0)) + hours
    check_sheet(week_start, cells, other)
    week.filter(account__isnull=True).delete()
    created = Activity.objects.bulk_create(
        Activity(rep=rep, date=day, kind=kind, hours=hours, note=SHEET_NOTE)
        for (day, kind), hours in sorted(cells.items())
        if hours > 0
    )
    audit_record(
        actor=actor,
        action="team.timesheet_saved",
        obj=rep,
        data={"week": week_start.isoformat(), "hours": str(sum((a.hours for a in created), Decimal(0)))},
    )
    return created
