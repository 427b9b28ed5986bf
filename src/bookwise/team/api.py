"""Team API: scorecards, time studies and signals (ids are external ids)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from bookwise.accounts.selectors import today
from bookwise.core.dates import trailing_12_months
from bookwise.core.errors import RuleViolation
from bookwise.core.paging import ApiDate
from bookwise.people.models import Rep
from bookwise.people.selectors import rep_get

from . import presenters
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
