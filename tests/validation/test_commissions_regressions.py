"""Issue 11, item 4, commissions: runs for 2031-Q1 and 1990, 2031-Q1 approved and frozen,
and a dispute paid -99,999.00 on a 3.04 line with no reason; each refused now with a
message naming the field, nothing changed (each test fails on the code before the fix)."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bookwise.commissions.models import Dispute, Run, RunStatus
from bookwise.commissions.services import dispute_resolve, run_approve, run_compute
from bookwise.core.errors import RuleViolation
from tests import factories as f
from tests.commissions.helpers import load_plans

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def book(org):
    load_plans()  # valid from 2026-01-01
    a1 = f.account("A1", owner=org["R1"])
    f.order(a1, date(2026, 1, 10), "60.80", external_id="O1")  # 5 %: a 3.04 line
    return org


@pytest.mark.parametrize(
    ("period", "says"),
    [
        ("2031-Q1", "2031-Q1 has not started yet"),
        ("1990", "1990 ends before the first commission plan starts"),
    ],
)
def test_runs_for_2031_q1_and_1990_are_refused(book, login, period, says):
    response = post(login(book["D1"]), "/api/commissions/runs", {"period": period})
    assert response.status_code == 422
    assert response.json()["message"].startswith(f"Period: {says}")
    assert response.json()["extra"]["field"] == "period"
    assert not Run.objects.exists()


def test_the_page_and_the_command_refuse_them_too(book, login):
    page = login(book["D1"]).post("/commissions/runs/", {"period": "2031-Q1"}, follow=True)
    assert "Period: 2031-Q1 has not started yet" in page.content.decode()
    for args in (["run", "--period", "1990"], ["run", "--period", "2031-Q1", "--dry-run"]):
        with pytest.raises(CommandError, match="Period: "):
            call_command("commissions", *args)
    assert not Run.objects.exists()


def test_a_2031_q1_run_is_never_approved_and_frozen(book, login):
    run = Run.objects.create(period="2031-Q1")  # as one computed before the rule existed
    response = post(login(book["D1"]), f"/api/commissions/runs/{run.pk}/approve", {})
    assert response.status_code == 422 and "2031-Q1 has not started yet" in response.json()["message"]
    page = login(book["D1"]).post(f"/commissions/runs/{run.pk}/approve/", {"confirm": "yes"}, follow=True)
    assert "2031-Q1 has not started yet" in page.content.decode()
    with pytest.raises(CommandError, match="2031-Q1 has not started yet"):
        call_command("commissions", "approve", "--period", "2031-Q1")
    assert Run.objects.get().status == RunStatus.DRAFT


def test_approve_and_freeze_on_the_page_needs_the_confirmation(book, login):
    run = run_compute(period="2026-Q1")
    client = login(book["D1"])
    assert (
        'name="confirm" value="yes" required' in client.get(f"/commissions/runs/{run.pk}/").content.decode()
    )
    page = client.post(f"/commissions/runs/{run.pk}/approve/", {}, follow=True)
    assert "Nothing approved" in page.content.decode()
    assert Run.objects.get().status == RunStatus.DRAFT
    client.post(f"/commissions/runs/{run.pk}/approve/", {"confirm": "yes"})
    assert Run.objects.get().status == RunStatus.APPROVED


@pytest.fixture
def dispute(book):
    run = run_approve(run=run_compute(period="2026-Q1"), actor=None)
    statement = run.statements.get(rep=book["R1"])
    assert [line[5] for line in statement.lines] == ["3.04"]
    return Dispute.objects.create(statement=statement, order_id="O1", comment="It was more", raised_by=None)


def test_a_dispute_paid_minus_99999_on_a_3_04_line_with_no_reason_is_refused(book, dispute, login):
    path = f"/api/commissions/disputes/{dispute.pk}/resolve"
    client = login(book["M1"])
    no_reason = post(client, path, {"decision": "accepted", "amount": "-99999.00"})
    assert no_reason.status_code == 422 and no_reason.json()["message"] == "Reason: an answer is required."
    negative = post(
        client, path, {"decision": "accepted", "amount": "-99999.00", "reason": "Agreed with R1."}
    )
    assert negative.status_code == 422 and negative.json()["message"].startswith(
        "Amount: -99999.00 is negative"
    )
    huge = post(client, path, {"decision": "accepted", "amount": "99999.00", "reason": "Agreed with R1."})
    assert huge.status_code == 422
    assert "more than 10 times the line's commission of 3.04 (30.40)" in huge.json()["message"]
    dispute.refresh_from_db()
    assert (dispute.status, dispute.amount, dispute.resolution) == ("open", None, "")


def test_a_clawback_and_a_large_amount_pass_when_said_so(book, dispute):
    with pytest.raises(RuleViolation, match="Reason: '-' is not an answer"):
        dispute_resolve(dispute=dispute, actor=book["M1"].user, accept=True, reason="-", amount=Decimal("1"))
    resolved = dispute_resolve(
        dispute=dispute, actor=book["M1"].user, accept=True, amount=Decimal("3.04"), clawback=True,
        reason="The order was returned; the commission is taken back.",
    )  # fmt: skip
    assert (resolved.status, resolved.amount) == ("accepted", Decimal("-3.04"))


def test_the_dispute_page_refuses_with_the_label(book, dispute, login):
    page = login(book["M1"]).post(
        f"/commissions/disputes/{dispute.pk}/resolve/",
        {"decision": "accepted", "amount": "-99999.00", "reason": ""},
        follow=True,
    )
    assert "Reason: an answer is required." in page.content.decode()
    assert Dispute.objects.get().status == "open"
