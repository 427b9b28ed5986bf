"""Plan services on the real database: create (cadence, pre-fill), templates and required
sections, submit and approve with versions, edits after approval, reviews, marks."""

from datetime import date
from decimal import Decimal

import pytest

from bookwise.core.errors import Conflict, Forbidden, RuleViolation
from bookwise.plans import services
from bookwise.plans.models import PlanTemplate, PlanVersion
from bookwise.plans.prefill import growth_strategy_text, risks_text
from bookwise.retention.selectors import GapInfo
from tests import factories

from .helpers import approved, book, content, draft

pytestmark = pytest.mark.django_db


def test_create_takes_the_cadence_from_the_tier(org):
    a1, a2, _ = book(org)
    assert services.plan_create(account=a1, year=2026, actor=None, day=date(2026, 1, 5)).cadence == "monthly"
    assert (
        services.plan_create(account=a2, year=2026, actor=None, day=date(2026, 1, 5)).cadence == "quarterly"
    )


def test_one_live_plan_per_account_and_year(org):
    a1, _, _ = book(org)
    services.plan_create(account=a1, year=2026, actor=None, day=date(2026, 1, 5))
    with pytest.raises(Conflict):
        services.plan_create(account=a1, year=2026, actor=None, day=date(2026, 1, 5))
    services.plan_create(account=a1, year=2027, actor=None, day=date(2026, 1, 5))


def test_create_prefills_growth_strategy_from_gap_and_whitespace(org):
    peer = factories.account("P1", industry="Retail")
    a1 = factories.account("A1", owner=org["R1"], industry="Retail", potential="100000.00")
    factories.order(a1, date(2025, 6, 1), "40000.00", product_line="Paper")
    factories.order(peer, date(2025, 6, 1), "10.00", product_line="Ink")
    factories.order(peer, date(2025, 6, 2), "10.00", product_line="Paper")
    plan = services.plan_create(account=a1, year=2026, actor=None, day=date(2026, 1, 5))
    assert "Close the gap to potential: 60,000.00" in plan.growth_strategy
    assert "wallet share 40.0 %" in plan.growth_strategy
    assert "Whitespace to open: Ink." in plan.growth_strategy


def test_create_prefills_risks_and_contacts_from_the_last_handoff_interview(org):
    from bookwise.transfers.models import HandoffInterview, Transfer

    a1 = factories.account("A1", owner=org["R1"])
    transfer = Transfer.objects.create(
        account=a1, from_rep=org["R2"], to_rep=org["R1"], effective_date=date(2025, 10, 1), reason="rebalance"
    )
    HandoffInterview.objects.create(
        transfer=transfer, account=a1, ongoing_obstacles="Procurement wants a 5 % cut.",
        past_obstacles="A late delivery in 2024, settled with a credit.", key_contacts="Bo Chen, buyer",
    )  # fmt: skip
    plan = services.plan_create(account=a1, year=2026, actor=None, day=date(2026, 1, 5))
    assert plan.risks == (
        "Ongoing obstacles: Procurement wants a 5 % cut.\n"
        "How past obstacles were handled: A late delivery in 2024, settled with a credit."
    )
    assert plan.contacts == "Bo Chen, buyer"


def test_prefill_texts_are_empty_without_sources():
    assert growth_strategy_text(None) == "" and risks_text(None) == ""
    gap = GapInfo(None, Decimal("5.00"), None, None, [])
    assert growth_strategy_text(gap) == ""


def test_default_template_requires_situation_objectives_and_target(org):
    a1, _, _ = book(org)
    plan = services.plan_create(account=a1, year=2026, actor=None, day=date(2026, 1, 5))
    with pytest.raises(RuleViolation) as exc:
        services.plan_submit(plan=plan, actor=None)
    assert exc.value.extra["missing"] == ["Situation summary", "Objectives", "Revenue target"]


def test_an_admin_template_decides_the_required_sections(org):
    a1, _, _ = book(org)
    template = PlanTemplate(
        name="Lean", is_default=True,
        sections=[{"key": "situation", "required": True}, {"key": "contacts", "required": True}],
    )  # fmt: skip
    services.plan_template_save(template=template, actor=None)
    plan = draft(a1, contacts="", objectives=[])
    assert plan.template == template
    with pytest.raises(RuleViolation) as exc:
        services.plan_submit(plan=plan, actor=None)
    assert exc.value.extra["missing"] == ["Key contacts and relationships"]
    plan = services.plan_update(plan=plan, content=content(contacts="Ann", objectives=[]), actor=None)
    assert services.plan_submit(plan=plan, actor=None).status == "submitted"


@pytest.mark.parametrize(
    "sections", [[], [{"key": "nope"}], [{"key": "situation"}, {"key": "situation"}], "situation"]
)
def test_template_sections_are_validated(db, sections):
    with pytest.raises(RuleViolation):
        services.plan_template_save(template=PlanTemplate(name="Bad", sections=sections), actor=None)


def test_one_default_template(db):
    first = services.plan_template_save(template=PlanTemplate(name="One", is_default=True), actor=None)
    services.plan_template_save(template=PlanTemplate(name="Two", is_default=True), actor=None)
    first.refresh_from_db()
    assert not first.is_default


def test_manager_approves_and_the_version_is_kept(org):
    a1, _, _ = book(org)
    plan = approved(a1, org["M1"].user, on=date(2026, 1, 31))
    assert (plan.status, plan.version, plan.first_approved_on) == ("approved", 1, date(2026, 1, 31))
    v1 = plan.versions.get()
    assert v1.content["situation"].startswith("Long-standing")
    assert v1.content["revenue_target"] == "120000.00"
    assert v1.content["objectives"][0]["kind"] == "revenue"


def test_edits_after_approval_make_a_new_version_and_keep_the_old(org):
    a1, _, _ = book(org)
    plan = approved(a1, org["M1"].user, on=date(2026, 1, 31))
    plan = services.plan_update(plan=plan, content=content(situation="Changed after approval."), actor=None)
    assert (plan.status, plan.version) == ("draft", 1)
    services.plan_submit(plan=plan, actor=None)
    plan = services.plan_approve(plan=plan, actor=org["D1"].user, day=date(2026, 4, 2))
    assert plan.version == 2
    assert plan.first_approved_on == date(2026, 1, 31)  # the review cadence keeps its anchor
    versions = {v.number: v.content["situation"] for v in PlanVersion.objects.filter(plan=plan)}
    assert versions == {
        1: "Long-standing customer, growing in two departments.",
        2: "Changed after approval.",
    }


def test_the_owner_cannot_approve_their_own_plan(org):
    a1, _, a3 = book(org)
    plan = draft(a1)
    services.plan_submit(plan=plan, actor=None)
    with pytest.raises(Forbidden):
        services.plan_approve(plan=plan, actor=org["R1"].user, day=date(2026, 1, 31))
    with pytest.raises(Forbidden):
        services.plan_approve(plan=plan, actor=org["M2"].user, day=date(2026, 1, 31))  # not R1's manager
    plan = services.plan_approve(plan=plan, actor=org["M1"].user, day=date(2026, 1, 31))
    assert plan.status == "approved"


def test_only_a_submitted_plan_is_approved_or_returned(org):
    a1, _, _ = book(org)
    plan = draft(a1)
    with pytest.raises(Conflict):
        services.plan_approve(plan=plan, actor=org["M1"].user, day=date(2026, 1, 31))
    services.plan_submit(plan=plan, actor=None)
    with pytest.raises(Conflict):
        services.plan_submit(plan=plan, actor=None)
    assert services.plan_return(plan=plan, actor=org["M1"].user, day=date(2026, 1, 31)).status == "draft"


def test_edit_syncs_objectives_and_actions(org):
    a1, _, _ = book(org)
    plan = draft(a1)
    kept = plan.objectives.get()
    rows = [
        {"id": kept.pk, "description": "Grow revenue", "kind": "revenue", "target": "130000",
         "owner": org["R1"], "due_date": None, "status": "in_progress"},
        {"description": "Reach purchasing", "kind": "department", "target": "Purchasing", "owner": None,
         "due_date": None, "status": "open"},
    ]  # fmt: skip
    plan = services.plan_update(plan=plan, content=content(objectives=rows, actions=[]), actor=None)
    objectives = list(plan.objectives.order_by("id"))
    assert [o.target for o in objectives] == ["130000", "Purchasing"]
    assert objectives[0].pk == kept.pk and objectives[0].owner == org["R1"]
    assert not plan.actions.exists()


def test_review_records_progress_and_revenue_against_prorated_target(org):
    a1, _, _ = book(org)
    factories.order(a1, date(2026, 1, 10), "15000.00", gp="4000.00")
    factories.order(a1, date(2026, 3, 1), "5000.00", gp="1000.00")
    factories.order(a1, date(2025, 12, 31), "99999.00")  # last year: not in the plan year
    plan = approved(a1, org["M1"].user, on=date(2026, 1, 31))
    objective = plan.objectives.get()
    review = services.review_record(
        plan=plan, actor=org["M1"].user, review_date=date(2026, 3, 1),
        progress=[{"objective_id": objective.pk, "status": "in_progress", "note": "on its way"}],
        notes="Good start", next_steps="Meet IT",
    )  # fmt: skip
    assert (review.number, review.due_date) == (1, date(2026, 2, 28))
    assert review.revenue_to_date == Decimal("20000.00")
    assert review.prorated_target == Decimal("19726.03")  # 120000 x 60 / 365
    assert review.progress[0]["status"] == "in_progress"
    objective.refresh_from_db()
    assert objective.status == "in_progress"
    second = services.review_record(
        plan=plan, actor=None, review_date=date(2026, 4, 2), progress=[], notes="Second site quoted."
    )
    assert (second.number, second.due_date) == (2, date(2026, 3, 31))


def test_review_needs_an_approved_plan_and_its_own_objectives(org):
    a1, _, a3 = book(org)
    with pytest.raises(RuleViolation):
        services.review_record(plan=draft(a1), actor=None, review_date=date(2026, 3, 1), progress=[])
    other = approved(a3, org["M2"].user)
    plan = approved(factories.account("A9", owner=org["R1"]), org["M1"].user)
    with pytest.raises(RuleViolation):
        services.review_record(
            plan=plan, actor=None, review_date=date(2026, 3, 1),
            progress=[{"objective_id": other.objectives.get().pk, "status": "done"}],
        )  # fmt: skip


def test_mark_and_unmark(org):
    a1, _, _ = book(org)
    services.plan_mark(account=a1, actor=org["M1"].user, note="strategic")
    services.plan_mark(account=a1, actor=org["M1"].user)
    assert a1.plan_mark.note == "strategic"
    services.plan_unmark(account=a1, actor=org["M1"].user)
    assert not type(a1.plan_mark).objects.exists()


@pytest.mark.parametrize(
    "row",
    [
        {"description": "Grow", "kind": "revenue", "target": "a lot"},
        {"description": "Grow", "kind": "gross_profit", "target": "12.345"},
        {"description": "Grow", "kind": "department", "target": ""},
        {"description": "Grow", "kind": "feelings", "target": "good"},
    ],
)
def test_objectives_are_measurable(org, row):
    a1, _, _ = book(org)
    plan = services.plan_create(account=a1, year=2026, actor=None, day=date(2026, 1, 5))
    row = {"owner": None, "due_date": None, "status": "open", **row}
    with pytest.raises(RuleViolation):
        services.plan_update(plan=plan, content=content(objectives=[row]), actor=None)


def test_archived_plans_leave_coverage_and_reviews(org):
    from bookwise.plans.coverage import coverage_rows
    from bookwise.plans.selectors import overdue_reviews

    a1, _, _ = book(org)
    plan = approved(a1, org["M1"].user, on=date(2026, 1, 31))
    with pytest.raises(Forbidden):
        services.plan_archive(plan=plan, actor=org["R1"].user, day=date(2026, 5, 1))
    services.plan_archive(plan=plan, actor=org["M1"].user, day=date(2026, 5, 1))
    assert overdue_reviews(day=date(2026, 5, 1)) == []
    assert not {r.account_id: r for r in coverage_rows(user=None, day=date(2026, 5, 1))}["A1"].has_plan
    assert services.plan_create(account=a1, year=2026, actor=None, day=date(2026, 5, 1)).status == "draft"


def test_due_dates_window_from_the_plan_year_or_a_month_back_to_five_years_ahead():
    from bookwise.plans.checks import due_window

    assert due_window(2026, date(2026, 3, 1)) == (date(2026, 1, 1), date(2031, 3, 1))
    assert due_window(2027, date(2026, 12, 5)) == (date(2026, 11, 5), date(2031, 12, 5))  # next year's plan


def test_objective_and_action_due_dates_on_the_bounds_are_kept(org):
    a1, _, _ = book(org)
    plan = draft(a1)
    row = {"description": "Grow revenue", "kind": "revenue", "target": "0", "owner": None,
           "due_date": date(2026, 1, 1), "status": "open"}  # fmt: skip
    action = {"description": "Meet the CFO", "owner": None, "due_date": date(2031, 3, 1), "done": False}
    day = date(2026, 3, 1)
    plan = services.plan_update(
        plan=plan, content=content(objectives=[row], actions=[action]), actor=None, today=day
    )
    assert plan.objectives.get().due_date == date(2026, 1, 1) and plan.actions.get().due_date == date(
        2031, 3, 1
    )
    action["due_date"] = date(2031, 3, 2)
    with pytest.raises(RuleViolation, match="Due date of action “Meet the CFO”: 2031-03-02 is after"):
        services.plan_update(plan=plan, content=content(actions=[action]), actor=None, today=day)


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"revenue_target": Decimal("-1")}, "Revenue target: -1 is negative"),
        ({"gp_target": Decimal("-0.01")}, "Gross profit target: -0.01 is negative"),
    ],
)
def test_targets_are_not_negative(org, changes, says):
    a1, _, _ = book(org)
    plan = draft(a1)
    with pytest.raises(RuleViolation, match=says):
        services.plan_update(plan=plan, content=content(**changes), actor=None)
    plan.refresh_from_db()
    assert plan.revenue_target == Decimal("120000.00") and plan.gp_target == Decimal("30000.00")


def test_a_review_on_the_approval_day_or_today_is_kept_and_junk_progress_is_refused(org):
    a1, _, _ = book(org)
    plan = approved(a1, org["M1"].user, on=date(2026, 1, 31))
    objective = plan.objectives.get()
    junk = [{"objective_id": objective.pk, "status": "done", "note": "."}]
    with pytest.raises(RuleViolation, match="Progress of objective “Grow revenue”: '.' is not an answer"):
        services.review_record(plan=plan, actor=None, review_date=date(2026, 2, 1), progress=junk,
                               notes="Good start.", today=date(2026, 2, 1))  # fmt: skip
    objective.refresh_from_db()
    assert objective.status == "open" and not plan.reviews.exists()  # nothing half-written
    with pytest.raises(RuleViolation, match="Next steps: '-' is not an answer"):
        services.review_record(plan=plan, actor=None, review_date=date(2026, 2, 1), progress=[],
                               notes="Good start.", next_steps="-", today=date(2026, 2, 1))  # fmt: skip
    first = services.review_record(plan=plan, actor=None, review_date=date(2026, 1, 31), progress=[],
                                   notes="  Good start.  ", today=date(2026, 2, 1))  # fmt: skip
    second = services.review_record(plan=plan, actor=None, review_date=date(2026, 2, 1), progress=[],
                                    notes="Second look.", today=date(2026, 2, 1))  # fmt: skip
    assert (first.number, first.notes, second.number) == (1, "Good start.", 2)
