"""Sales operations see every account, rep, statement and dispute, so where they may not act
the answer is a 403 with the reason, never the 404 of an object they cannot see: disputes
(raise, resolve), skill ratings, starting a transfer, planning a rep's book (pages and API).

org: D1 director; M1 manages R1, R2; M2 manages R3, R4."""

import json
from datetime import date

import pytest
from django.test import Client

from bookwise.commissions.models import Dispute
from bookwise.commissions.services import dispute_open, run_approve, run_compute
from bookwise.core.models import AuditEntry
from bookwise.people.services import SALES_OPS_SKILLS
from tests import factories as f
from tests.commissions.helpers import load_plans

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(org) -> Client:
    client = Client()
    client.force_login(f.sales_ops_user())
    return client


def _json(client: Client, method: str, path: str, body: dict) -> tuple[int, str]:
    answer = getattr(client, method)(path, data=json.dumps(body), content_type="application/json")
    return answer.status_code, answer.json()["message"]


def _reason(response) -> str:
    return response.content.decode()


@pytest.fixture
def dispute(org) -> Dispute:
    load_plans()
    f.order(f.account("A1", owner=org["R1"]), date(2026, 1, 10), "1000.00", external_id="O1")
    run = run_compute(period="2026-Q1")
    run = run_approve(run=run, actor=None)
    statement = run.statements.get(rep=org["R1"])
    return dispute_open(statement=statement, order_id="O1", comment="It was 1200", actor=org["R1"].user)


def test_sales_ops_may_neither_raise_nor_resolve_a_dispute_and_are_told_why(ops, dispute):
    statement = dispute.statement
    said = {"order_id": "O1", "comment": "It was 1300"}
    assert ops.get(f"/api/commissions/statements/{statement.pk}").status_code == 200  # they see it
    status, message = _json(ops, "post", f"/api/commissions/statements/{statement.pk}/disputes", said)
    assert status == 403 and "the statement's rep raises a dispute" in message
    agreed = {"decision": "accepted", "amount": "10.00", "reason": "Credited at 1200."}
    status, message = _json(ops, "post", f"/api/commissions/disputes/{dispute.pk}/resolve", agreed)
    assert status == 403 and "their managers resolve it" in message
    page = ops.post(f"/commissions/statements/{statement.pk}/disputes/", said)
    assert page.status_code == 403 and "Sales operations read every statement" in _reason(page)
    page = ops.post(f"/commissions/disputes/{dispute.pk}/resolve/", {**agreed, "decision": "accepted"})
    assert page.status_code == 403 and "Sales operations read every statement" in _reason(page)
    assert Dispute.objects.get().status == "open"


def test_sales_ops_may_not_rate_skills_and_are_told_why(ops, org):
    status, message = _json(ops, "put", "/api/reps/R1/skills", {"communication": 5, "flexibility": 5})
    assert status == 403 and message == SALES_OPS_SKILLS
    page = ops.post("/transfers/skills/R1/", {"communication": "5", "flexibility": "5"})
    assert page.status_code == 403 and "the rep&#x27;s managers rate them" in _reason(page)
    org["R1"].refresh_from_db()
    assert org["R1"].communication is None and not AuditEntry.objects.filter(action="people.rep.skills")
    assert ops.put("/api/reps/NOPE/skills", "{}", content_type="application/json").status_code == 404


def test_sales_ops_are_told_why_they_may_not_start_a_transfer_or_plan_a_book(ops, org):
    f.account("ACME", owner=org["R1"])
    for method in ("get", "post"):
        page = getattr(ops, method)("/transfers/new/ACME/")
        assert page.status_code == 403 and "Only the account&#x27;s managers or an admin" in _reason(page)
        page = getattr(ops, method)("/transfers/plans/new/R1/")
        assert page.status_code == 403 and "Only the rep&#x27;s managers or an admin" in _reason(page)
    assert ops.get("/transfers/new/NOPE/").status_code == 404  # what does not exist stays a 404
    assert ops.get("/transfers/plans/new/NOPE/").status_code == 404


def test_the_signals_page_offers_sales_ops_no_transfer_they_may_not_start(ops, org, login):
    r3 = org["R3"]
    r3.capacity = 1
    r3.save()
    f.account("X1", owner=r3)
    f.account("X2", owner=r3)
    page = ops.get("/team/signals/").content.decode()
    assert "Over capacity" in page and "/transfers/new/X1/" not in page
    assert "/transfers/new/X1/" in login(org["M2"]).get("/team/signals/").content.decode()
