"""The demo shows every feature: transfers, account plans, team assessments, commissions."""

from __future__ import annotations

from collections import Counter

from bookwise.commissions.models import CommissionPlan, Dispute, RebateProgramme, Run
from bookwise.demo.features.commissions import quarters
from bookwise.demo.features.transfers import WAIVER_NOTE, leaving_rep
from bookwise.people.models import Rep
from bookwise.plans.models import AccountPlan, PlanReview
from bookwise.plans.selectors import overdue_reviews
from bookwise.retention.selectors import account_tiers
from bookwise.team.models import Assessment, DevelopmentAction
from bookwise.transfers.models import ReassignmentPlan, Transfer
from bookwise.transfers.services import missing_interview_sections

from .conftest import TODAY


def test_transfers_of_the_leaving_rep_in_every_state(demo):
    leaver = leaving_rep(TODAY)
    transfers = list(Transfer.objects.select_related("created_by").order_by("account__external_id"))
    assert Counter(t.state for t in transfers) == {"draft": 1, "handoff": 2, "introduced": 1}
    assert {t.from_rep_id for t in transfers} == {leaver.pk}
    assert {t.created_by.username for t in transfers} == {leaver.manager.user.username}
    assert all(t.to_rep.manager_id == leaver.manager_id for t in transfers)
    handoff = [t for t in transfers if t.state == "handoff"]
    waiting = [t for t in handoff if t.note == WAIVER_NOTE]
    assert len(waiting) == 1 and not waiting[0].interview_waived
    assert missing_interview_sections(waiting[0])  # the manager must waive it
    filled = [t for t in transfers if t.state in ("handoff", "introduced") and t.note != WAIVER_NOTE]
    assert len(filled) == 2 and all(not missing_interview_sections(t) for t in filled)
    plan = ReassignmentPlan.objects.get()
    assert plan.from_rep_id == leaver.pk and plan.lines.exists()


def test_account_plans_with_gaps_drafts_and_overdue_reviews(demo):
    statuses = Counter(AccountPlan.objects.values_list("status", flat=True))
    assert statuses["draft"] == 2 and statuses["submitted"] == 1 and statuses["approved"] >= 5
    assert set(AccountPlan.objects.values_list("year", flat=True)) == {TODAY.year}
    tier_a = {pk for pk, info in account_tiers(day=TODAY).items() if info.tier == "A"}
    planned = set(AccountPlan.objects.values_list("account_id", flat=True))
    assert planned < tier_a  # only tier-A accounts, and not all of them: coverage has gaps
    for plan in AccountPlan.objects.filter(status="approved"):
        assert plan.objectives.exists() and plan.actions.exists() and plan.version == 1
    assert PlanReview.objects.exists()
    overdue = overdue_reviews(day=TODAY)
    assert overdue and len(overdue) < statuses["approved"]  # some up to date, some overdue


def test_manager_assessments_with_gaps_development_plan_and_promotion(demo):
    reviews = Assessment.objects.filter(purpose="review").select_related("subject")
    by_manager = Counter((a.subject.external_id, a.assessor_role) for a in reviews)
    assert by_manager == {(sm, role): 1 for sm in ("SM1", "SM2", "SM3") for role in ("self", "director")}
    for sm in ("SM1", "SM2", "SM3"):
        own, boss = (
            dict(
                reviews.get(subject__external_id=sm, assessor_role=r).ratings.values_list(
                    "competency", "rating"
                )
            )
            for r in ("self", "director")
        )
        assert own != boss  # gaps show
    actions = DevelopmentAction.objects.filter(subject__external_id="SM2")
    assert actions.count() == 3 and {a.kind for a in actions} == {
        "mentoring",
        "peer_learning",
        "independent_learning",
    }
    promotion = Assessment.objects.get(purpose="promotion")
    assert promotion.subject.role == "account_manager"
    assert promotion.assessor == Rep.objects.get(external_id=promotion.subject.manager.external_id)


def test_commission_plans_loaded_runs_and_a_dispute(demo):
    assert CommissionPlan.objects.count() == 2 and RebateProgramme.objects.filter(year=TODAY.year).exists()
    before_last, last = quarters(TODAY)
    assert (before_last, last) == ("2025-Q3", "2025-Q4")
    runs = dict(Run.objects.values_list("period", "status"))
    assert runs == {before_last: "approved", last: "draft"}
    assert Run.objects.get(period=last).statements.exists()
    dispute = Dispute.objects.select_related("statement__run").get()
    assert dispute.status == "open" and dispute.statement.run.period == before_last


def test_the_story_points_at_the_features(demo):
    pages = dict(demo.pages)
    assert {"/transfers/", "/plans/overdue/", "/team/competency/", "/commissions/"} <= set(pages)
    assert any(where.startswith("sm2") for where in pages)
    assert demo.counts["transfers"] == 4 and demo.counts["disputes"] == 1


def test_cli_lists_overdue_reviews_and_coverage_gaps(demo):
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("plans", "overdue", "--date", TODAY.isoformat(), "--format", "json", stdout=out)
    overdue = json.loads(out.getvalue())
    assert overdue and all(row["days_overdue"] > 0 for row in overdue)
    out = StringIO()
    call_command("plans", "coverage", "--date", TODAY.isoformat(), "--format", "json", stdout=out)
    assert out.getvalue().strip()


def test_the_demo_leaves_the_revenue_rollup_fresh(demo):
    from bookwise.retention import rollup

    assert rollup.is_fresh()
