"""Team API: scorecards, time studies and signals (ids are external ids)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from bookwise.accounts.selectors import today
from bookwise.core.dates import trailing_12_months
from bookwise.core.errors import NotFound, RuleViolation
from bookwise.core.paging import ApiDate
from bookwise.people.models import Rep
from bookwise.people.selectors import rep_get

from . import presenters
from .calendar import day_remove, days_add, days_for
from .models import NonWorkingDay
from .selectors.common import team_get, team_member_ids
from .selectors.competency import assessment_subject_get, competency_view
from .selectors.focus import focus_list
from .selectors.scorecards import rep_scorecard
from .selectors.signals import rep_signals
from .selectors.timestudy import time_study

router = Router(tags=["team"])


@router.get("/reps/{rep_id}/scorecard")
def scorecard(request: HttpRequest, rep_id: str, date: ApiDate | None = None) -> dict[str, Any]:
    """The rep's scorecard at `date` (default today): only the metrics of the rep's role."""
    card = rep_scorecard(user=request.user, rep_id=rep_id, day=date or today())
    return presenters.scorecard_json(card)


@router.get("/teams/{rep_id}/time-study")
def team_time_study(
    request: HttpRequest, rep_id: str, start: ApiDate | None = None, end: ApiDate | None = None
) -> dict[str, Any]:
    """Hours per kind per rep of the manager's team (all levels), the nurturing share and the
    separation advice. Default period: the trailing 12 months."""
    manager = team_get(user=request.user, rep_id=rep_id)
    default = trailing_12_months(today())
    first, last = start or default.start, end or default.end
    if last < first:
        raise RuleViolation("The period ends before it starts.", {"field": "end"})
    reps = list(
        Rep.objects.filter(id__in=team_member_ids(manager)).select_related("manager").order_by("name")
    )
    study = time_study(reps=reps, team=manager, start=first, end=last)
    summary = presenters.time_study_summary(study)
    return {"team": manager.external_id, "start": summary["start"], "end": summary["end"],
            "reps": presenters.time_study_rows(study), "summary": summary}  # fmt: skip


@router.get("/reps/{rep_id}/signals")
def signals(request: HttpRequest, rep_id: str, date: ApiDate | None = None) -> dict[str, Any]:
    """Workload and burnout signals of one rep, each with its evidence."""
    rep = rep_get(user=request.user, rep_id=rep_id)
    return presenters.signals_json(rep_signals([rep], date or today())[0])


@router.get("/reps/{rep_id}/assessments")
def assessments(request: HttpRequest, rep_id: str) -> dict[str, Any]:
    """Latest self and director assessments, gaps, suggested development, the development plan and
    promotion readiness. Only for the person assessed, their manager chain and admins."""
    subject = assessment_subject_get(user=request.user, rep_id=rep_id)
    return presenters.competency_json(competency_view(subject=subject, day=today()))


@router.get("/team/focus")
def focus(request: HttpRequest, date: ApiDate | None = None) -> list[dict[str, Any]]:
    """Manager focus: the share of time and revenue tied to accounts a sales manager owns."""
    items = focus_list(user=request.user, day=date or today())
    return [
        {"rep_id": f.manager.external_id, "own_accounts": f.own_accounts, "own_hours": float(f.own_hours),
         "total_hours": float(f.total_hours), "time_share": presenters.ratio(f.time_share),
         "own_revenue": f"{f.own_revenue:.2f}", "team_revenue": f"{f.team_revenue:.2f}",
         "revenue_share": presenters.ratio(f.revenue_share), "flagged": f.flagged}
        for f in items
    ]  # fmt: skip


# the calendar of non-working days ---------------------------------------------------------


class DaysOffIn(Schema):
    date: ApiDate
    end: ApiDate | None = None
    rep_id: str | None = Field(None, max_length=64)
    reason: str = Field(..., max_length=200)


def day_off_json(d: NonWorkingDay) -> dict[str, Any]:
    return {"id": d.pk, "date": d.date.isoformat(), "rep_id": d.rep.external_id if d.rep else None,
            "name": d.rep.name if d.rep else None, "kind": "absence" if d.rep else "holiday",
            "reason": d.reason}  # fmt: skip


@router.get("/days-off")
def days_off(
    request: HttpRequest, rep_id: str | None = None, start: ApiDate | None = None, end: ApiDate | None = None
) -> dict[str, Any]:
    """The non-working days in [start, end] (default: 90 days back to a year ahead) the user
    may see: holidays for everyone, and the absences of the reps in their scope. With `rep_id`,
    the days that rep does not work (their absences and the holidays)."""
    first, last = start or today() - timedelta(days=90), end or today() + timedelta(days=365)
    rep = rep_get(user=request.user, rep_id=rep_id) if rep_id else None
    days = days_for(request.user, first, last, rep=rep)
    return {"start": first.isoformat(), "end": last.isoformat(), "days": [day_off_json(d) for d in days]}


@router.post("/days-off", response={201: dict})
def days_off_add(request: HttpRequest, payload: DaysOffIn) -> Status[dict[str, Any]]:
    """Enter a day off, or every day of [date, end]: for a rep (their manager chain, or the rep
    themself) or, without `rep_id`, for everyone (administrators). All or nothing, audited."""
    rep = rep_get(user=request.user, rep_id=payload.rep_id) if payload.rep_id else None
    added = days_add(start=payload.date, end=payload.end, rep=rep, reason=payload.reason,
                     actor=request.user, today=today())  # fmt: skip
    return Status(201, {"days": [day_off_json(d) for d in added]})


@router.delete("/days-off/{day_id}")
def days_off_remove(request: HttpRequest, day_id: int) -> dict[str, Any]:
    """Remove a day off (same rights as entering it), audited."""
    entry = NonWorkingDay.objects.select_related("rep").filter(pk=day_id).first()
    if entry is None:
        raise NotFound("No such day off.")
    gone = day_off_json(entry)
    day_remove(entry=entry, actor=request.user)
    return {"removed": gone}
