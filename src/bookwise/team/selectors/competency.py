"""Reads of competency assessments. Visible to the person assessed, their manager chain and
admins only (stricter than scope_for: a director outside the chain sees nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import cast

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from bookwise.core.errors import NotFound
from bookwise.core.users import Viewer
from bookwise.people.models import Rep, Role
from bookwise.people.selectors import chain_of_command, is_admin, rep_for_user, subordinate_ids

from ..competency_rules import COMPETENCIES, Gap, Readiness, Suggestion, gaps, readiness, suggestions
from ..models import Assessment, DevelopmentAction

DEFAULT_PROFILE = dict.fromkeys(COMPETENCIES, 3)


def can_see_assessments(user: Viewer | None, subject: Rep) -> bool:
    if is_admin(user):
        return True
    me = rep_for_user(user)
    return me is not None and (me.id == subject.id or me.id in chain_of_command(subject.id))


def can_rate_as_director(user: Viewer | None, subject: Rep) -> bool:
    me = rep_for_user(user)
    return is_admin(user) or (me is not None and me.id in chain_of_command(subject.id))


def assessment_subject_get(*, user: Viewer | None, rep_id: str) -> Rep:
    subject = Rep.objects.select_related("manager").filter(external_id=rep_id).first()
    if subject is None or not can_see_assessments(user, subject):
        raise NotFound("No such rep.")
    return subject


def assessable_reps(*, user: Viewer | None) -> QuerySet[Rep]:
    """Sales managers and assessed reps the user may see assessments of (themself included)."""
    qs = Rep.objects.select_related("manager").order_by("name")
    if not is_admin(user):
        me = rep_for_user(user)
        if me is None:
            return qs.none()
        qs = qs.filter(id__in=subordinate_ids(me.id) | {me.id})
    assessed = Assessment.objects.filter(subject=OuterRef("pk"))
    return qs.filter(Q(role=Role.SALES_MANAGER) | Exists(assessed))


def latest(subject: Rep, role: str) -> Assessment | None:
    return (
        Assessment.objects.filter(subject=subject, assessor_role=role)
        .prefetch_related("ratings")
        .order_by("-assessed_on", "-id")
        .first()
    )


def ratings_of(assessment: Assessment | None) -> dict[str, int]:
    return {r.competency: r.rating for r in assessment.ratings.all()} if assessment else {}


def peer_ratings(subject: Rep) -> dict[int, dict[str, int]]:
    """Latest director ratings of the other sales managers (the pool for peer learning)."""
    peers: dict[int, dict[str, int]] = {}
    for peer in Rep.objects.filter(role=Role.SALES_MANAGER).exclude(id=subject.id):
        found = ratings_of(latest(peer, "director"))
        if found:
            peers[peer.id] = found
    return peers


@dataclass
class CompetencyView:
    subject: Rep
    self_assessment: Assessment | None
    director_assessment: Assessment | None
    gaps: list[Gap]
    suggestions: list[Suggestion]
    readiness: Readiness
    actions: list[DevelopmentAction] = field(default_factory=list)
    partners: dict[int, Rep] = field(default_factory=dict)


def competency_view(*, subject: Rep, day: date) -> CompetencyView:
    own, director = latest(subject, "self"), latest(subject, "director")
    gap_list = gaps(ratings_of(own), ratings_of(director))
    peers = peer_ratings(subject)
    found = suggestions(gap_list, mentor_id=subject.manager_id, peers=peers)
    profile = cast(dict[str, int], settings.BOOKWISE.get("manager_profile", DEFAULT_PROFILE))
    actions = list(DevelopmentAction.objects.filter(subject=subject).select_related("partner"))
    partner_ids = {s.partner_id for s in found if s.partner_id}
    return CompetencyView(
        subject=subject,
        self_assessment=own,
        director_assessment=director,
        gaps=gap_list,
        suggestions=found,
        readiness=readiness(ratings_of(director), ratings_of(own), profile),
        actions=actions,
        partners={r.id: r for r in Rep.objects.filter(id__in=partner_ids)},
    )
