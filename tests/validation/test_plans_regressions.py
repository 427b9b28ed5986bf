"""Issue 11, item 4, account plans: each nonsense the demo accepted, refused now with a
message naming the field by its label, and nothing changed (each test fails on the code
before the fix)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from bookwise.plans import services
from bookwise.plans.models import PlanObjective, PlanReview
from bookwise.plans.selectors import next_review
from tests import factories
from tests.plans.helpers import approved, book, content, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(org):
    a1, _, _ = book(org)
    return approved(a1, org["M1"].user, on=date(2026, 1, 31))


def _review(client, plan, **body):
    return client.post(f"/api/plans/{plan.pk}/reviews", body, content_type="application/json")


def test_an_empty_review_is_refused_and_does_not_move_the_next_due_date(plan, org, login):
    due = next_review(plan)
    today = timezone.localdate().isoformat()
    for notes in ("", "-", ".", "x"):
        response = _review(login(org["R1"]), plan, review_date=today, notes=notes)
        assert response.status_code == 422, notes
        assert response.json()["message"].startswith("Notes:")
        assert response.json()["extra"]["field"] == "notes"
    assert not PlanReview.objects.exists()
    plan.refresh_from_db()
    assert next_review(plan) == due


def test_an_empty_review_on_the_page_shows_the_label_and_records_nothing(plan, org, login):
    objective = plan.objectives.get()
    form = {"review_date": "2026-03-01", "notes": "-", "next_steps": "", f"status_{objective.pk}": "open"}
    response = login(org["R1"]).post(f"/plans/{plan.pk}/review/", form)
    assert response.status_code == 200
    assert "Notes: &#x27;-&#x27; is not an answer" in response.content.decode()
    assert not PlanReview.objects.exists()


@pytest.mark.parametrize(
    ("day", "says"),
    [("2001-01-01", "before the plan's approval (2026-01-31)"), ("2030-01-01", "is after today")],
)
def test_review_dates_2001_and_2030_are_refused(plan, org, login, day, says):
    response = _review(login(org["R1"]), plan, review_date=day, notes="Orders in line with the plan.")
    assert response.status_code == 422
    assert (
        response.json()["message"].startswith(f"Review date: {day} ") and says in response.json()["message"]
    )
    assert not PlanReview.objects.exists()


def _edit_form(plan, due: str, target: str) -> dict:
    form = {
        "situation": "Long-standing customer.", "revenue_target": "120000.00", "gp_target": "",
        "growth_strategy": "", "risks": "", "contacts": "", "cadence": "monthly",
        "obj-TOTAL_FORMS": "1", "obj-INITIAL_FORMS": "0",
        "obj-0-description": "Grow revenue", "obj-0-kind": "revenue", "obj-0-target": target,
        "obj-0-due_date": due, "obj-0-status": "open",
        "act-TOTAL_FORMS": "0", "act-INITIAL_FORMS": "0",
    }  # fmt: skip
    return form


@pytest.mark.parametrize(
    ("due", "target", "says"),
    [
        ("1999-12-31", "120000", "Due date of objective “Grow revenue”: 1999-12-31 is before"),
        ("2150-01-01", "120000", "Due date of objective “Grow revenue”: 2150-01-01 is after"),
        ("2026-12-31", "-5", "Target of objective “Grow revenue”: -5.00 is negative"),
    ],
)
def test_objectives_due_1999_or_2150_or_a_target_of_minus_5_are_refused(org, login, due, target, says):
    a1, _, _ = book(org)
    plan = draft(a1)
    before = list(PlanObjective.objects.values_list("description", "target", "due_date"))
    response = login(org["R1"]).post(f"/plans/{plan.pk}/edit/", _edit_form(plan, due, target))
    assert response.status_code == 200
    assert says in response.content.decode()
    assert list(PlanObjective.objects.values_list("description", "target", "due_date")) == before


def test_the_service_refuses_the_same_objectives_for_every_caller(org):
    a1, _, _ = book(org)
    plan = draft(a1)
    row = {"description": "Grow revenue", "kind": "revenue", "target": "-5", "owner": None,
           "due_date": date(2150, 1, 1), "status": "open"}  # fmt: skip
    with pytest.raises(services.RuleViolation, match="Target of objective"):
        services.plan_update(plan=plan, content=content(objectives=[row]), actor=None, today=date(2026, 3, 1))
    row["target"] = "5"
    with pytest.raises(services.RuleViolation, match="2150-01-01 is after 5 years after today"):
        services.plan_update(plan=plan, content=content(objectives=[row]), actor=None, today=date(2026, 3, 1))
    row["due_date"] = date(2026, 1, 1) - timedelta(days=1)
    with pytest.raises(services.RuleViolation, match="before the start of the plan year"):
        services.plan_update(plan=plan, content=content(objectives=[row]), actor=None, today=date(2026, 3, 1))


def test_a_plan_year_far_from_today_is_refused(org, login):
    factories.account("A9", owner=org["R1"])
    for year in (1999, 2099):
        response = login(org["R1"]).post(
            "/api/accounts/A9/plans", {"year": year}, content_type="application/json"
        )
        assert response.status_code == 422 and response.json()["message"].startswith(f"Plan year: {year} ")
