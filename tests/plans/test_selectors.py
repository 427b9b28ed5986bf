"""Coverage (needs / has / lacks a plan), overdue reviews and plan against actual."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import override_settings

from bookwise.plans import services
from bookwise.plans.actuals import actual_chart, plan_actual
from bookwise.plans.coverage import coverage_facts, coverage_groups, coverage_rows
from bookwise.plans.selectors import overdue_reviews, overdue_reviews_for
from tests import factories

from .helpers import approved, book, draft

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 15)


def _rows(user, **kwargs):
    return {r.account_id: r for r in coverage_rows(user=user, day=DAY, **kwargs)}


def test_tier_a_accounts_need_a_plan_and_have_one_once_approved(org):
    a1, a2, a3 = book(org)
    draft(a3)  # a draft is not a plan yet
    approved(a1, org["M1"].user)
    rows = _rows(None)
    assert (rows["A1"].tier, rows["A1"].needs_plan, rows["A1"].has_plan, rows["A1"].owner_id) == (
        "A",
        True,
        True,
        "R1",
    )
    assert (rows["A2"].needs_plan, rows["A2"].has_plan) == (False, False)
    assert (rows["A3"].needs_plan, rows["A3"].has_plan) == (True, False)


def test_has_plan_is_for_the_year_of_the_date(org):
    a1, _, _ = book(org)
    approved(a1, org["M1"].user, year=2025, on=date(2025, 1, 31))
    assert not _rows(None)["A1"].has_plan


def test_a_plan_under_revision_still_counts(org):
    a1, _, _ = book(org)
    plan = approved(a1, org["M1"].user)
    services.plan_update(plan=plan, content=services.PlanContent(cadence="monthly"), actor=None)
    assert _rows(None)["A1"].has_plan


def test_marked_accounts_need_a_plan(org):
    _, a2, _ = book(org)
    services.plan_mark(account=a2, actor=org["M1"].user)
    assert _rows(None)["A2"].needs_plan


def test_revenue_floor_and_tiers_are_settings(org):
    _, a2, _ = book(org)
    factories.order(a2, date(2026, 1, 10), "60000.00")
    rule = {**settings.BOOKWISE, "plan_required_tiers": [], "plan_revenue_floor": "50000"}
    with override_settings(BOOKWISE=rule):
        rows = _rows(None)
    assert rows["A2"].needs_plan and not rows["A1"].needs_plan


def test_lost_accounts_are_left_out(org):
    book(org)
    factories.account("L1", owner=org["R1"], status="lost", lost_date=date(2025, 5, 1))
    assert "L1" not in _rows(None)


def test_coverage_is_scoped(org):
    book(org)
    assert set(_rows(org["R1"].user)) == {"A1", "A2"}
    assert set(_rows(org["M2"].user)) == {"A3"}
    assert set(_rows(org["D1"].user)) == {"A1", "A2", "A3"}


def test_coverage_groups_by_rep_team_and_territory(org):
    a1, _, _ = book(org)
    approved(a1, org["M1"].user)
    rows = coverage_facts(user=None, day=DAY)
    by_rep = {g.name: (g.accounts, g.needs, g.has, g.lacks) for g in coverage_groups(rows, "rep")}
    assert by_rep == {"Rep R1": (2, 1, 1, 0), "Rep R3": (1, 1, 0, 1)}
    by_team = {g.name: g.lacks for g in coverage_groups(rows, "team")}
    assert by_team == {"Rep M1": 0, "Rep M2": 1}
    by_territory = {g.name: g.coverage for g in coverage_groups(rows, "territory")}
    assert by_territory == {"North": Decimal("1.0000"), "South": Decimal("0.0000")}


def test_overdue_review_flagged_after_more_than_seven_days(org):
    a1, _, _ = book(org)
    approved(a1, org["M1"].user, on=date(2026, 1, 31))  # monthly: first review due 2026-02-28
    assert overdue_reviews(day=date(2026, 3, 7)) == []
    [item] = overdue_reviews(day=date(2026, 3, 8))
    assert (item.due_date, item.days_overdue, item.owner_id) == (date(2026, 2, 28), 8, "R1")


def test_a_review_moves_the_next_due_date(org):
    a1, _, _ = book(org)
    plan = approved(a1, org["M1"].user, on=date(2026, 1, 31))
    services.review_record(
        plan=plan, actor=None, review_date=date(2026, 3, 1), progress=[], notes="Orders on plan.",
        today=date(2026, 3, 1),
    )  # fmt: skip
    assert overdue_reviews(day=date(2026, 4, 7)) == []  # next due 2026-03-31: 7 days
    [item] = overdue_reviews(day=date(2026, 4, 8))
    assert item.due_date == date(2026, 3, 31)


def test_december_review_can_be_overdue_in_january(org):
    a1, _, _ = book(org)
    plan = approved(a1, org["M1"].user, year=2026, on=date(2026, 9, 30), cadence="quarterly")
    services.review_record(
        plan=plan, actor=None, review_date=date(2026, 12, 30), progress=[], notes="Orders on plan.",
        today=date(2026, 12, 30),
    )  # fmt: skip
    assert overdue_reviews(day=date(2027, 1, 10)) == []  # next would be 2027-03-30: after the plan year
    a7 = factories.account("A7", owner=org["R1"])
    approved(a7, org["M1"].user, on=date(2026, 11, 30), cadence="monthly")  # due 2026-12-30
    assert [i.due_date for i in overdue_reviews(day=date(2027, 1, 6))] == []
    assert [i.due_date for i in overdue_reviews(day=date(2027, 1, 7))] == [date(2026, 12, 30)]


def test_drafts_and_archived_plans_are_never_overdue(org):
    a1, _, _ = book(org)
    draft(a1)
    assert overdue_reviews(day=date(2026, 12, 1)) == []


def test_overdue_for_the_dashboard_is_scoped(org):
    a1, _, a3 = book(org)
    approved(a1, org["M1"].user, on=date(2026, 1, 31))
    approved(a3, org["M2"].user, on=date(2026, 1, 31))
    day = date(2026, 3, 20)

    def accounts(who):
        return {o.account_id for o in overdue_reviews_for(user=org[who].user, day=day)}

    assert accounts("R1") == {"A1"} and accounts("M1") == {"A1"}
    assert accounts("R2") == set() and accounts("M2") == {"A3"} and accounts("D1") == {"A1", "A3"}


def test_plan_against_actual(org):
    a1, _, _ = book(org)
    factories.order(a1, date(2026, 1, 10), "20000.00", gp="5000.00")
    factories.order(a1, date(2026, 2, 20), "-2000.00", gp="-500.00")  # a credit note counts
    factories.order(a1, date(2026, 3, 20), "9999.00")  # after the day
    plan = approved(a1, org["M1"].user)
    actual = plan_actual(plan, day=DAY)  # 74 days of 365
    assert actual.revenue == Decimal("18000.00") and actual.gross_profit == Decimal("4500.00")
    assert actual.revenue_target == Decimal("24328.77")
    assert actual.revenue_ratio == Decimal("0.7399")
    assert actual.status == "off_track"
    assert actual.gp_target == Decimal("6082.19")
    assert actual.completion == Decimal("0.0000")
    chart = actual_chart(actual)
    assert chart["data"][0]["x"] == ["2026-01", "2026-02", "2026-03"]
    assert chart["data"][0]["y"] == [20000.0, 18000.0, 18000.0]


def test_status_thresholds_come_from_settings(org):
    a1, _, _ = book(org)
    factories.order(a1, date(2026, 1, 10), "18000.00")
    plan = approved(a1, org["M1"].user)
    with override_settings(BOOKWISE={**settings.BOOKWISE, "plan_at_risk_ratio": "0.70"}):
        assert plan_actual(plan, day=DAY).status == "at_risk"
