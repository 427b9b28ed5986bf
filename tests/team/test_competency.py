from datetime import date

import pytest

from bookwise.core.errors import Forbidden, RuleViolation
from bookwise.team.competency_rules import COMPETENCIES, Gap, best_peer, gaps, readiness, suggestions
from bookwise.team.models import DevelopmentAction
from bookwise.team.selectors.competency import competency_view
from bookwise.team.selectors.prefill import prefill
from bookwise.team.services import assessment_record, development_action_complete, development_action_create
from tests import factories as f
from tests.team.scenario import D, build

DAY = date(2026, 6, 30)


def rated(*values, evidence=""):
    return {c: (v, evidence) for c, v in zip(COMPETENCIES, values, strict=True)}


# ---- pure rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("own", "director", "expected"),
    [
        (5, 3, "mentoring"),  # blind spot: self 2 above the director
        (2, 2, "peer_learning"),  # low, and peer 7 is strong at it
        (4, 4, None),
    ],
)
def test_suggestion_kind_per_gap(own, director, expected):
    gap_list = [Gap("tracking", own, director)]
    found = suggestions(gap_list, mentor_id=1, peers={7: {"tracking": 5}, 8: {"tracking": 3}})
    assert [s.kind for s in found] == ([expected] if expected else [])
    if expected == "peer_learning":
        assert found[0].partner_id == 7


def test_weak_competency_without_a_strong_peer_is_independent_learning():
    found = suggestions([Gap("pricing", 2, 1)], mentor_id=None, peers={9: {"pricing": 3}})
    assert [(s.kind, s.partner_id) for s in found] == [("independent_learning", None)]


def test_gap_between_competencies_is_a_relative_weakness():
    gap_list = gaps({}, {"business_planning": 5, "talent": 5, "tracking": 5, "performance": 5, "pricing": 3})
    found = suggestions(gap_list, mentor_id=None, peers={})
    assert [s.competency for s in found] == ["pricing"]  # 3 <= average 4.6 - 1
    assert "well below the subject's average 4.6" in found[0].reason


def test_best_peer_ties_go_to_the_lowest_id():
    assert best_peer("talent", {5: {"talent": 4}, 3: {"talent": 4}, 1: {"talent": 3}}) == 3


@pytest.mark.parametrize(
    ("director", "own", "ready", "basis"),
    [
        ({c: 3 for c in COMPETENCIES}, {}, True, "director"),
        ({**{c: 3 for c in COMPETENCIES}, "talent": 2}, {}, False, "director"),
        ({}, {c: 5 for c in COMPETENCIES}, False, "self"),  # a self assessment alone never suffices
        ({}, {}, False, "none"),
    ],
)
def test_promotion_readiness_against_the_profile(director, own, ready, basis):
    result = readiness(director, own, dict.fromkeys(COMPETENCIES, 3))
    assert (result.ready, result.basis) == (ready, basis)


# ---- services and selectors ------------------------------------------------------------------


@pytest.mark.django_db
def test_self_and_director_assessments_and_gaps(org):
    m1, d1 = org["M1"], org["D1"]
    assessment_record(subject=m1, assessor_role="self", ratings=rated(5, 4, 4, 4, 4), actor=m1.user, day=DAY)
    assessment_record(
        subject=m1, assessor_role="director", ratings=rated(3, 4, 4, 4, 2), actor=d1.user, day=DAY
    )
    # A strong peer: M2 rated 5 on pricing by the director.
    assessment_record(
        subject=org["M2"], assessor_role="director", ratings=rated(3, 3, 3, 3, 5), actor=d1.user, day=DAY
    )
    view = competency_view(subject=m1, day=DAY)
    assert [g.difference for g in view.gaps] == [2, 0, 0, 0, 2]
    kinds = {s.competency: (s.kind, s.partner_id) for s in view.suggestions}
    assert kinds["business_planning"] == ("mentoring", d1.id)
    assert kinds["pricing"] == ("mentoring", d1.id)  # blind spot first: self 4, director 2
    assert not view.readiness.ready and view.readiness.basis == "director"


@pytest.mark.django_db
def test_who_may_record_assessments(org):
    m1 = org["M1"]
    with pytest.raises(Forbidden):
        assessment_record(
            subject=m1, assessor_role="self", ratings=rated(3, 3, 3, 3, 3), actor=org["D1"].user, day=DAY
        )
    with pytest.raises(Forbidden):
        assessment_record(
            subject=m1, assessor_role="director", ratings=rated(3, 3, 3, 3, 3), actor=org["M2"].user, day=DAY
        )
    with pytest.raises(Forbidden):
        assessment_record(
            subject=m1, assessor_role="director", ratings=rated(3, 3, 3, 3, 3), actor=m1.user, day=DAY
        )
    with pytest.raises(RuleViolation):
        assessment_record(
            subject=m1, assessor_role="self", ratings=rated(3, 3, 3, 3, 6), actor=m1.user, day=DAY
        )
    with pytest.raises(RuleViolation):
        assessment_record(
            subject=m1, assessor_role="self", ratings={"talent": (3, "")}, actor=m1.user, day=DAY
        )
    # A rep considered for promotion, rated by their manager M1 (in the chain) and an admin.
    assessment_record(
        subject=org["R1"],
        assessor_role="director",
        ratings=rated(3, 3, 3, 3, 3),
        actor=m1.user,
        day=DAY,
        purpose="promotion",
    )
    assert competency_view(subject=org["R1"], day=DAY).readiness.ready


@pytest.mark.django_db
def test_development_plan_actions_and_completion(org):
    m1, d1 = org["M1"], org["D1"]
    action = development_action_create(
        subject=m1,
        competency="pricing",
        kind="peer_learning",
        partner=org["M2"],
        description="Shadow M2's renewals",
        due_date=date(2026, 9, 30),
        actor=d1.user,
    )
    with pytest.raises(RuleViolation):
        development_action_create(
            subject=m1, competency="pricing", kind="mentoring", description="x", due_date=DAY, actor=d1.user
        )
    with pytest.raises(Forbidden):
        development_action_create(
            subject=m1,
            competency="talent",
            kind="independent_learning",
            description="x",
            due_date=DAY,
            actor=org["M2"].user,
        )
    with pytest.raises(Forbidden):
        development_action_complete(action=action, actor=org["R1"].user, day=DAY)
    done = development_action_complete(action=action, actor=m1.user, day=DAY)
    assert done.completed_on == DAY
    assert DevelopmentAction.objects.get().completed_on == DAY


@pytest.mark.django_db
def test_prefilled_data_evidence_for_a_manager(org):
    build(org)
    evidence = prefill(subject=org["M1"], day=D)
    assert evidence["tracking"][0] == "team logo retention 50.0% (previous 12 months n/a)"
    assert evidence["tracking"][1] == "team net revenue retention 62.5% (previous 12 months n/a)"
    # Team book at d: B1, B2, B4, N1, N4 (R1) and N2 (R2): revenue 1200 + 1800 + 100, gp 400 + 500 + 40.
    assert evidence["pricing"][0] == "gross margin of the team's orders, last 12 months: 30.3%"
    assert evidence["talent"][0] == "team turnover: 0 of 2 reps on the team at the window start left"
    assert evidence["performance"][0].endswith(": 0 (0 accepted)")
    assert evidence["business_planning"][0].startswith("plan coverage")


@pytest.mark.django_db
def test_ramp_of_a_new_rep_in_the_talent_evidence(org):
    new = f.rep("R9", manager=org["M1"], hire_date=date(2026, 1, 1))
    a = f.account("RAMP", owner=new, since=date(2026, 1, 1))
    f.order(a, date(2026, 3, 2), "10.00")
    lines = prefill(subject=org["M1"], day=DAY)["talent"]
    assert "new rep R9 hired 2026-01-01: first credited order after 60 days" in lines
