"""Assessments of sales managers (self and director, with gaps), a development plan, and a
strong rep assessed for promotion by their manager."""

from __future__ import annotations

from datetime import date, timedelta

from bookwise.team import services
from bookwise.team.models import Competency

from .common import director, rep

COMPETENCIES = [c.value for c in Competency]
# sales manager -> (self ratings, director ratings), in the order of COMPETENCIES
MANAGER_RATINGS = {
    "SM1": ((4, 4, 5, 4, 4), (4, 3, 5, 4, 3)),
    "SM2": ((4, 4, 4, 4, 3), (2, 3, 2, 3, 3)),
    "SM3": ((3, 3, 4, 3, 4), (4, 4, 4, 3, 5)),
}
PROMOTION_RATINGS = (5, 4, 5, 4, 4)
EVIDENCE = {
    1: "Needs support here.",
    2: "Below what the role asks.",
    3: "Meets the role.",
    4: "Strong, with examples.",
    5: "A model for others.",
}


def _ratings(values: tuple[int, ...]) -> dict[str, tuple[int, str]]:
    return {c: (v, EVIDENCE[v]) for c, v in zip(COMPETENCIES, values, strict=True)}


def _development_plan(subject_id: str, today: date, actor) -> int:
    subject, peer, boss = rep(subject_id), rep("SM1"), director()
    actions = [
        ("business_planning", "mentoring", boss, "Monthly planning session with the director"),
        ("tracking", "peer_learning", peer, "Shadow Helena's weekly pipeline review"),
        ("tracking", "independent_learning", None, "Course: forecasting and pipeline hygiene"),
    ]
    for n, (competency, kind, partner, text) in enumerate(actions, start=1):
        services.development_action_create(
            subject=subject, competency=competency, kind=kind, description=text,
            due_date=today + timedelta(days=30 * n), actor=actor, partner=partner,
        )  # fmt: skip
    return len(actions)


def promotion_candidate() -> str:
    """The first account manager of SM1's team (the rep login the demo prints)."""
    from bookwise.people.models import Rep

    first = (
        Rep.objects.filter(manager__external_id="SM1", role="account_manager", end_date__isnull=True)
        .order_by("external_id")
        .first()
    )
    return first.external_id if first else ""


def build_team(today: date) -> dict[str, int]:
    boss = director().user
    count = 0
    for sm_id, (own, by_director) in MANAGER_RATINGS.items():
        manager = rep(sm_id)
        services.assessment_record(
            subject=manager, assessor_role="self", ratings=_ratings(own), actor=manager.user,
            day=today - timedelta(days=20),
        )  # fmt: skip
        services.assessment_record(
            subject=manager, assessor_role="director", ratings=_ratings(by_director), actor=boss,
            day=today - timedelta(days=10),
        )  # fmt: skip
        count += 2
    actions = _development_plan("SM2", today, boss)
    candidate_id = promotion_candidate()
    candidate = rep(candidate_id) if candidate_id else None
    if candidate is not None and candidate.manager is not None:
        services.assessment_record(
            subject=candidate, assessor_role="director", ratings=_ratings(PROMOTION_RATINGS),
            actor=candidate.manager.user, day=today - timedelta(days=5), purpose="promotion",
        )  # fmt: skip
        count += 1
    return {"assessments": count, "development actions": actions}
