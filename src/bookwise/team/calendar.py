"""The calendar of non-working days: read by the signals, entered on /team/calendar/ or
imported with `bookwise team calendar-import FILE` (docs/team.md)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import F

from bookwise.core.errors import Forbidden, NotFound, RuleViolation
from bookwise.core.services import audit_record
from bookwise.core.users import Viewer
from bookwise.core.validation import date_within, real_answer
from bookwise.imports.parsers import Column, HeaderError, RowError, Spec, iso_date, parse_file_row, text
from bookwise.imports.reading import Limits, read_rows
from bookwise.people.models import Rep
from bookwise.people.selectors import scope_for

from .models import NonWorkingDay

SPEC = Spec(
    "calendar",
    {
        "date": Column(iso_date, required=True),
        "rep_id": Column(text(64)),
        "reason": Column(text(200), required=True),
    },
)
YEARS = 5  # a day more than 5 years from today is a typo
MAX_DAYS = 366  # days entered at once (a range)


def off_weeks(rep_ids: list[int], mondays: list[date]) -> dict[int, set[date]]:
    """rep id -> the Mondays of the weeks (among `mondays`) holding a non-working day for them."""
    start, end = mondays[0], mondays[-1] + timedelta(days=6)
    found: dict[int, set[date]] = defaultdict(set)
    days = NonWorkingDay.objects.filter(date__range=(start, end)).values_list("date", "rep_id")
    for day, rep_id in days:
        monday = day - timedelta(days=day.weekday())
        for rid in rep_ids if rep_id is None else [rep_id]:
            found[rid].add(monday)
    return found


def may_enter(user: Viewer | None, rep: Rep | None) -> bool:
    """A day for everyone: administrators. A rep's day: the rep, anyone above them, directors
    and administrators (not sales ops, who see it)."""
    scope = scope_for(user)
    return scope.admin if rep is None else scope.may_change(rep.pk)


def _plausible(day: date, today: date, label: str = "Date", field: str = "date") -> None:
    span = timedelta(days=365 * YEARS)
    date_within(
        day, label, not_before=today - span, not_after=today + span,
        before_what=f"{YEARS} years ago", after_what=f"{YEARS} years from today", field=field,
    )  # fmt: skip


def _check(day: date, reason: str, today: date) -> str:
    _plausible(day, today)
    return real_answer(reason, "Reason", field="reason")


def _refuse(actor: Viewer | None, rep: Rep | None, doing: str) -> None:
    """Who may enter or remove a day off (`may_enter`): a rep outside the actor's scope is
    not found (no leak); a day for everyone, which everybody sees, is forbidden but to admins,
    and so is a rep's day to sales ops, who see it."""
    if may_enter(actor, rep):
        return
    if rep is not None and not scope_for(actor).covers(rep.pk):
        raise NotFound("No such rep.")
    if rep is not None:
        raise Forbidden(f"Only the rep, their managers or an administrator may {doing} their day off.")
    raise Forbidden(f"Only an administrator may {doing} a day off for everyone.", {"field": "rep"})


@transaction.atomic
def day_add(
    *, day: date, rep: Rep | None, reason: str, actor: Viewer | None, today: date, operator: bool = False
) -> NonWorkingDay:
    """Enter a day off (`operator`: the command line, which runs with the server's rights)."""
    if not operator:
        _refuse(actor, rep, "enter")
    reason = _check(day, reason, today)
    if NonWorkingDay.objects.filter(date=day, rep=rep).exists():
        who = rep.name if rep else "everyone"
        raise RuleViolation(f"{day:%Y-%m-%d} is already a day off for {who}.", {"field": "date"})
    return _write(day, rep, reason, actor)


def _write(day: date, rep: Rep | None, reason: str, actor: Viewer | None) -> NonWorkingDay:
    entry = NonWorkingDay.objects.create(date=day, rep=rep, reason=reason)
    data = {"date": day.isoformat(), "rep": rep.external_id if rep else None, "reason": reason}
    audit_record(actor=actor, action="team.day_off.add", obj=entry, data=data)
    return entry


@transaction.atomic
def days_add(
    *, start: date, end: date | None, rep: Rep | None, reason: str, actor: Viewer | None, today: date
) -> list[NonWorkingDay]:
    """Every day of [start, end] (end defaults to start), all or nothing: a range ending
    before it starts, longer than MAX_DAYS, or holding a day already off for the same rep
    (or for everyone) changes nothing."""
    _refuse(actor, rep, "enter")
    last = end or start
    _plausible(start, today)
    _plausible(last, today, "End", "end")
    _in_order(start, last)
    if (last - start).days >= MAX_DAYS:
        raise RuleViolation(f"End: at most {MAX_DAYS} days at once.", {"field": "end"})
    days = [start + timedelta(days=i) for i in range((last - start).days + 1)]
    taken = NonWorkingDay.objects.filter(date__in=days, rep=rep).order_by("date")
    if taken.exists():
        listed = ", ".join(f"{d:%Y-%m-%d}" for d in taken.values_list("date", flat=True))
        who = rep.name if rep else "everyone"
        raise RuleViolation(f"Date: already a day off for {who}: {listed}.", {"field": "date"})
    reason = real_answer(reason, "Reason", field="reason")
    return [_write(d, rep, reason, actor) for d in days]  # checked above, once for the range


@transaction.atomic
def day_remove(*, entry: NonWorkingDay, actor: Viewer | None) -> None:
    if entry.rep is not None and not scope_for(actor).covers(entry.rep.pk):
        raise NotFound("No such day off.")
    _refuse(actor, entry.rep, "remove")
    data = {"date": entry.date.isoformat(), "rep": entry.rep.external_id if entry.rep else None}
    audit_record(actor=actor, action="team.day_off.remove", obj=entry, data={**data, "reason": entry.reason})
    entry.delete()


def _in_order(start: date, end: date) -> None:
    if end < start:
        raise RuleViolation(f"End: {end:%Y-%m-%d} is before the start ({start:%Y-%m-%d}).", {"field": "end"})


def days_for(user: Viewer, start: date, end: date, rep: Rep | None = None) -> list[NonWorkingDay]:
    """The days off in [start, end] the user may see: everyone's, and those of reps in scope;
    with `rep` (one the user may see), the days that rep does not work: theirs and everyone's."""
    _in_order(start, end)
    scope = scope_for(user)
    qs = NonWorkingDay.objects.filter(date__range=(start, end)).select_related("rep")
    if rep is not None:
        qs = qs.filter(rep__isnull=True) | qs.filter(rep=rep)
    elif not scope.everything:
        qs = qs.filter(rep__isnull=True) | qs.filter(rep_id__in=scope.rep_ids)
    return list(qs.order_by("date", F("rep__name").asc(nulls_first=True)))  # the holiday first


def import_calendar(path: str | Path, *, actor: Viewer | None, today: date) -> tuple[int, list[str]]:
    """calendar.csv (date, rep_id, reason; empty rep_id = everyone), all-or-nothing: (days
    added, errors as FILE:LINE: COLUMN: message). A day already there is left as it is."""
    name, errors, rows = str(path), [], []
    reps = dict(Rep.objects.values_list("external_id", "pk"))
    try:
        read = list(read_rows(path, SPEC, Limits()))
    except HeaderError as error:
        return 0, [e.render(name) for e in error.errors]
    for line, raw in read:
        values, problems = parse_file_row(SPEC, line, raw)
        if values.get("rep_id") and values["rep_id"] not in reps:
            problems.append(RowError(line, "rep_id", f"unknown rep {values['rep_id']!r}"))
        errors += [p.render(name) for p in problems]
        rows.append((line, values))
    if errors:
        return 0, errors
    added, line = 0, 0
    try:
        with transaction.atomic():
            for line_no, v in rows:
                line = line_no
                rep = Rep.objects.get(pk=reps[v["rep_id"]]) if v["rep_id"] else None
                if not NonWorkingDay.objects.filter(date=v["date"], rep=rep).exists():
                    day_add(
                        day=v["date"], rep=rep, reason=v["reason"], actor=actor, today=today, operator=True
                    )
                    added += 1
    except (RuleViolation, NotFound) as error:
        return 0, [f"{name}:{line}: {error.extra.get('field', '-')}: {error.message}"]
    return added, []
