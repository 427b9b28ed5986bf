"""Writes of the team app: the weekly time sheet, competency assessments, development plans,
and the rollup of the order lines behind the scorecards."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from bookwise.accounts import line_rollups
from bookwise.accounts.models import Activity, ActivityKind
from bookwise.core.errors import Conflict, Forbidden, RuleViolation
from bookwise.core.services import audit_record
from bookwise.core.users import Viewer, signed_in
from bookwise.people.models import Rep

from . import rollup
from .models import ActionKind, Assessment, Competency, DevelopmentAction, LineRollupState, Purpose, Rating

SHEET_NOTE = "time sheet"


@transaction.atomic
def line_rollup_refresh(*, account_ids: Iterable[int] | None = None, since: date | None = None) -> int:
    """Rebuild the scorecards' rollup of the order lines: all of it, or only these accounts'.
    Normally run by `on_revenue_rollup_refreshed`; the scorecards refresh the accounts with new
    lines before reading (`rollup.ensure_fresh`), but edited or deleted lines are seen only
    through it. With `since`, only those accounts' months from the month of `since` on.
    Returns the LineMonth rows written."""
    return rollup.refresh(None if account_ids is None else list(account_ids), since)


def on_revenue_rollup_refreshed(
    sender: Any, account_ids: list[int] | None = None, since: date | None = None, **kwargs: Any
) -> None:
    """Receiver of `retention.signals.revenue_rollup_refreshed` (sent inside the refresh's
    transaction): the same accounts and months, or everything when `account_ids` is None."""
    line_rollup_refresh(account_ids=account_ids, since=since)


def on_revenue_rollup_outdated(sender: Any, **kwargs: Any) -> None:
    """Receiver of `retention.signals.revenue_rollup_outdated`: this rollup is rebuilt with it."""
    line_rollups.outdate(LineRollupState)


def line_rollup_catch_up() -> None:
    """The queued rebuild after a large import (retention.services.revenue_rollup_after_import):
    the rollup brought up to date unless a reader already did."""
    rollup.ensure_fresh(bulk=True)


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
    *, rep: Rep, week_start: date, cells: Mapping[tuple[date, str], Decimal], actor: Viewer | None
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


def _assessor_check(*, subject: Rep, assessor_role: str, actor: Viewer | None) -> Rep | None:
    from bookwise.people.selectors import rep_for_user

    from .selectors.competency import can_rate_as_director

    me = rep_for_user(actor)
    if assessor_role == "self":
        if me is None or me.id != subject.id:
            raise Forbidden("Only the person assessed can fill in the self assessment.")
        return me
    if assessor_role == "director":
        if not can_rate_as_director(actor, subject):
            raise Forbidden("Only a manager above the person assessed (or an admin) rates as director.")
        return me
    raise RuleViolation(f"Unknown assessor role {assessor_role!r}.", {"field": "assessor_role"})


@transaction.atomic
def assessment_record(
    *,
    subject: Rep,
    assessor_role: str,
    ratings: Mapping[str, tuple[int, str]],
    actor: Viewer | None,
    day: date,
    purpose: str = "review",
    data_evidence: Mapping[str, list[str]] | None = None,
) -> Assessment:
    """Record one assessment: every competency rated 1-5, with the assessor's evidence and the
    data evidence Bookwise pre-filled."""
    assessor = _assessor_check(subject=subject, assessor_role=assessor_role, actor=actor)
    if purpose not in Purpose.values:
        raise RuleViolation(f"Unknown purpose {purpose!r}.", {"field": "purpose"})
    missing = [c for c in Competency.values if c not in ratings]
    unknown = [c for c in ratings if c not in Competency.values]
    if missing or unknown:
        raise RuleViolation(
            "Rate each of the five competencies once.", {"missing": missing, "unknown": unknown}
        )
    bad = [c for c, (r, _) in ratings.items() if not isinstance(r, int) or not 1 <= r <= 5]
    if bad:
        raise RuleViolation("Ratings are whole numbers from 1 to 5.", {"competencies": bad})
    assessment = Assessment.objects.create(
        subject=subject, assessor_role=assessor_role, assessor=assessor, purpose=purpose,
        assessed_on=day, created_by=signed_in(actor),
    )  # fmt: skip
    Rating.objects.bulk_create(
        Rating(assessment=assessment, competency=c, rating=r, evidence=text.strip(),
               data_evidence=list((data_evidence or {}).get(c, [])))
        for c, (r, text) in ratings.items()
    )  # fmt: skip
    audit_record(actor=actor, action="team.assessment_recorded", obj=assessment,
                 data={"subject": subject.external_id, "role": assessor_role})  # fmt: skip
    return assessment


def _may_plan(actor: Viewer | None, subject: Rep) -> bool:
    from bookwise.people.selectors import rep_for_user

    from .selectors.competency import can_rate_as_director

    me = rep_for_user(actor)
    return can_rate_as_director(actor, subject) or (me is not None and me.id == subject.id)


@transaction.atomic
def development_action_create(
    *,
    subject: Rep,
    competency: str,
    kind: str,
    description: str,
    due_date: date,
    actor: Viewer | None,
    partner: Rep | None = None,
) -> DevelopmentAction:
    """Add an action to the subject's development plan (the subject, their managers or admins)."""
    if not _may_plan(actor, subject):
        raise Forbidden("Only the person, their managers or an admin change a development plan.")
    if competency not in Competency.values or kind not in ActionKind.values:
        raise RuleViolation("Unknown competency or kind of action.", {"competency": competency, "kind": kind})
    if kind != ActionKind.INDEPENDENT and partner is None:
        raise RuleViolation("Mentoring and peer learning need a mentor or a peer.", {"field": "partner"})
    if partner is not None and partner.id == subject.id:
        raise RuleViolation("A person cannot mentor themself.", {"field": "partner"})
    if not description.strip():
        raise RuleViolation("Say what the action is.", {"field": "description"})
    action = DevelopmentAction.objects.create(
        subject=subject, competency=competency, kind=kind, partner=partner, description=description.strip(),
        due_date=due_date, created_by=signed_in(actor),
    )  # fmt: skip
    audit_record(actor=actor, action="team.development_action_created", obj=action, data={"kind": kind})
    return action


@transaction.atomic
def development_action_complete(
    *, action: DevelopmentAction, actor: Viewer | None, day: date
) -> DevelopmentAction:
    action = DevelopmentAction.objects.select_for_update().select_related("subject").get(pk=action.pk)
    if not _may_plan(actor, action.subject):
        raise Forbidden("Only the person, their managers or an admin change a development plan.")
    if action.completed_on is not None:
        raise Conflict("This action is already completed.")
    action.completed_on = day
    action.save(update_fields=["completed_on", "updated_at"])
    audit_record(actor=actor, action="team.development_action_completed", obj=action, data={})
    return action
