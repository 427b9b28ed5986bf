"""The plans API: an account's plans, a plan's reviews; grants and denials."""

from datetime import date

import pytest
from django.utils import timezone

from tests import factories

from .helpers import approved, book, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(org):
    a1, a2, a3 = book(org)
    factories.order(a1, date(2026, 1, 10), "15000.00", gp="3000.00")
    return {"A1": approved(a1, org["M1"].user), "A3": draft(a3)}


def test_account_plans_for_the_owner(plans, login, org):
    response = login(org["R1"]).get("/api/accounts/A1/plans")
    assert response.status_code == 200
    [row] = response.json()
    assert row["plan_id"] == plans["A1"].pk and row["account_id"] == "A1" and row["owner_id"] == "R1"
    assert row["revenue_target"] == "120000.00" and row["status"] == "approved" and row["version"] == 1
    assert isinstance(row["attainment"], float | None) and row["revenue_ytd"] == "15000.00"


@pytest.mark.parametrize("who", ["R2", "R3", "M2"])
def test_other_reps_get_404(plans, login, org, who):
    client = login(org[who])
    assert client.get("/api/accounts/A1/plans").status_code == 404
    assert client.get("/api/accounts/A1/plans").json()["message"] == "No such account."
    assert (
        client.post("/api/accounts/A1/plans", {"year": 2027}, content_type="application/json").status_code
        == 404
    )
    assert client.get(f"/api/plans/{plans['A1'].pk}/reviews").status_code == 404
    payload = {"review_date": "2026-03-01"}
    assert (
        client.post(
            f"/api/plans/{plans['A1'].pk}/reviews", payload, content_type="application/json"
        ).status_code
        == 404
    )


def test_anonymous_is_401(plans, client):
    assert client.get("/api/accounts/A1/plans").status_code == 401


def test_create_submit_approve_and_review(plans, login, org):
    rep, manager = login(org["R3"]), login(org["M2"])
    plan_id = plans["A3"].pk
    assert rep.post(f"/api/plans/{plan_id}/submit").json()["status"] == "submitted"
    denied = rep.post(f"/api/plans/{plan_id}/approve")
    assert denied.status_code == 403 and "manager" in denied.json()["message"]
    assert login(org["M1"]).post(f"/api/plans/{plan_id}/approve").status_code == 404
    assert manager.post(f"/api/plans/{plan_id}/approve").json()["version"] == 1
    objective = plans["A3"].objectives.get()
    payload = {
        "review_date": timezone.localdate().isoformat(), "notes": "Signed the service contract.",
        "progress": [{"objective_id": objective.pk, "status": "done"}],
    }  # fmt: skip
    response = rep.post(f"/api/plans/{plan_id}/reviews", payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["number"] == 1
    [review] = manager.get(f"/api/plans/{plan_id}/reviews").json()
    assert review["progress"][0]["status"] == "done" and review["revenue_to_date"] == "0.00"


def test_create_conflict_and_bad_review(plans, login, org):
    client = login(org["R1"])
    response = client.post("/api/accounts/A1/plans", {"year": 2026}, content_type="application/json")
    assert response.status_code == 409 and "already has a plan" in response.json()["message"]
    bad = client.post("/api/accounts/A2/plans", {"year": 1850}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["extra"]["field"] == "year"
    assert bad.json()["message"].startswith("Plan year: 1850 is not between")
    created = client.post("/api/accounts/A2/plans", {"year": 2026}, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    response = client.post(
        f"/api/plans/{created.json()['plan_id']}/reviews",
        {"review_date": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
