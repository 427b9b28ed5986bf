"""What a real client gets back when it sends something wrong: always the API's one error
shape, `{"message": ..., "extra": {...}}` as JSON, a 4xx naming the field, nothing changed,
and the same answer on SQLite and PostgreSQL (these were 500 pages on PostgreSQL, or
silently stored on SQLite, before).

The domain rules (dates, ranges, real answers) are the services'; these are the API's own:
what JSON it takes, what fits the columns, and the shape of every answer."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from django.db import DataError
from django.test import RequestFactory

from bookwise.config.api import data_error, unexpected_error
from bookwise.core.models import AuditEntry
from bookwise.retention.models import TierPin
from bookwise.transfers.models import HandoffInterview, ReassignmentPlan, Transfer

from .conftest import Clients
from .world import World

NUL = "\x00"


def audit_count() -> int:
    """Entries of what the calls did: making a client's token is audited too, but is setup."""
    return AuditEntry.objects.exclude(action="api_token.create").count()


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()


def _refused(answer: httpx.Response, status: int | tuple[int, ...], says: str, audits: int) -> None:
    allowed = status if isinstance(status, tuple) else (status,)
    assert answer.status_code in allowed, answer.text
    assert answer.headers["content-type"].startswith("application/json"), answer.text
    body = answer.json()
    assert set(body) == {"message", "extra"} and says in body["message"], body
    assert audit_count() == audits, "refused, yet something was audited"


def test_a_nul_character_is_refused_naming_the_field(world: World, clients: Clients) -> None:
    m1, admin, r1 = (
        clients.token(world.user("M1")),
        clients.token(world.admin),
        clients.token(world.user("R1")),
    )
    t, account, plan = world.transfer("draft"), world.account(), world.account_plan("approved")
    st, order_id = world.statement()
    calls: list[tuple[httpx.Client, str, str, dict[str, Any], str]] = [
        (m1, "POST", f"/api/transfers/{t.pk}/waive", {"reason": f"left{NUL}"}, "Reason:"),
        (admin, "PUT", f"/api/retention/tier-pins/{account.external_id}", {"tier": "A", "note": NUL},
         "Note:"),
        (r1, "POST", f"/api/plans/{plan.pk}/reviews",
         {"review_date": world.today.isoformat(), "notes": f"a{NUL}b"}, "Notes:"),
        (r1, "POST", f"/api/commissions/statements/{st.pk}/disputes", {"order_id": order_id, "comment": NUL},
         "Comment:"),
        (m1, "POST", "/api/transfers", {"account_id": f"{account.external_id}{NUL}", "to": "R2",
                                        "effective_date": world.today.isoformat(), "reason": "rebalance"},
         "Account:"),
    ]  # fmt: skip
    audits = audit_count()
    for client, method, path, body, says in calls:
        _refused(client.request(method, path, json=body), 422, says, audits)
    assert not Transfer.objects.get(pk=t.pk).interview_waived and not TierPin.objects.exists()
    assert not plan.reviews.exists() and not st.disputes.exists()
    assert Transfer.objects.count() == 1
    in_path = m1.post("/api/accounts/A%00/plans", json={"year": world.today.year})
    _refused(in_path, (404, 422), "", audits)  # SQLite finds no such account; PostgreSQL cannot look


def test_texts_longer_than_their_column_are_refused_on_every_database(world: World, clients: Clients) -> None:
    m1, admin = clients.token(world.user("M1")), clients.token(world.admin)
    t, account = world.transfer("handoff"), world.account()
    audits = audit_count()
    long = "Jane Roe, " * 60
    _refused(m1.put(f"/api/transfers/{t.pk}/interview", json={"attendees": long}), 422, "Attendees:", audits)
    introduce = {"meeting_date": world.today.isoformat(), "attendees": long}
    _refused(m1.post(f"/api/transfers/{t.pk}/introduce", json=introduce), 422, "Attendees:", audits)
    pin = {"tier": "A", "note": "n" * 256}
    _refused(admin.put(f"/api/retention/tier-pins/{account.external_id}", json=pin), 422, "Note:", audits)
    assert HandoffInterview.objects.get(transfer=t).attendees == "" and not TierPin.objects.exists()
    assert Transfer.objects.get(pk=t.pk).state == "handoff"


def test_an_amount_beyond_money_is_a_422_not_a_500(world: World, clients: Clients) -> None:
    dispute = world.dispute()
    audits = audit_count()
    body = {"decision": "accepted", "amount": "1e30"}
    answer = clients.token(world.user("M1")).post(
        f"/api/commissions/disputes/{dispute.pk}/resolve", json=body
    )
    _refused(answer, 422, "Amount:", audits)
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_a_reassignment_plan_with_an_unknown_reason_is_refused(world: World, clients: Clients) -> None:
    """It used to be made (or a 500 on PostgreSQL for a long reason) and could never be applied."""
    r, audits = world.rep(), audit_count()
    for reason in ("holiday", "x" * 500):
        body = {"from_rep": r.external_id, "effective_date": world.today.isoformat(), "reason": reason}
        _refused(
            clients.token(world.user("M1")).post("/api/transfers/plans", json=body), 422, "reason", audits
        )
    assert not ReassignmentPlan.objects.exists()


def test_waive_without_a_body_answers_with_the_rule_not_with_payload(world: World, clients: Clients) -> None:
    t, audits = world.transfer("draft"), audit_count()
    answer = clients.token(world.user("M1")).post(f"/api/transfers/{t.pk}/waive")
    _refused(answer, 422, "Waiver reason: an answer is required.", audits)
    assert not Transfer.objects.get(pk=t.pk).interview_waived


def test_every_wrong_request_gets_the_one_json_shape(world: World, clients: Clients) -> None:
    m1, t = clients.token(world.user("M1")), world.transfer("draft")
    audits = audit_count()
    raw = {"Content-Type": "application/json"}
    checks: list[tuple[Callable[[], httpx.Response], int, str]] = [
        (lambda: m1.post("/api/no-such-thing", json={}), 404, "No such API endpoint: POST /api/no-such"),
        (lambda: clients.anonymous().post("/api/no-such-thing"), 404, "No such API endpoint"),
        (lambda: m1.post("/api/transfers/abc/handoff"), 404, "No such API endpoint"),
        (lambda: m1.post("/api/transfers/plans/999999/apply"), 404, "No such plan."),
        (lambda: m1.put("/api/transfers/plans/999999/lines/X", json={"to": "R2"}), 404, "No such plan."),
        (lambda: m1.post("/api/transfers", content=b"{not json", headers=raw), 400, "not JSON"),
        (lambda: m1.post("/api/transfers", data={"account_id": "A1"}), 400, "not JSON"),
        (lambda: m1.post("/api/transfers"), 422, "The request needs a JSON body"),
        (lambda: m1.delete("/api/transfers"), 405, "DELETE is not allowed on /api/transfers (allowed: "),
        (lambda: m1.post(f"/api/transfers/{t.pk}/introduce", json={"meeting_date": "2026-13-45"}), 422,
         "Meeting date: input should be a valid date"),
    ]  # fmt: skip
    for call, status, says in checks:
        _refused(call(), status, says, audits)
    assert Transfer.objects.get(pk=t.pk).state == "draft"


def test_an_unexpected_error_is_logged_and_answered_as_json(caplog: pytest.LogCaptureFixture) -> None:
    request = RequestFactory().post("/api/transfers")
    with caplog.at_level(logging.ERROR, logger="bookwise.api"):
        answer = unexpected_error(request, RuntimeError("boom"))
    assert answer.status_code == 500 and answer["Content-Type"].startswith("application/json")
    body = json.loads(answer.content)  # outside a served request the request id is "-"
    assert body == {"message": "Something went wrong on our side; it has been logged (request -).",
                    "extra": {"request_id": "-"}}  # fmt: skip
    assert "boom" in caplog.text
    refused = data_error(request, DataError("value too long for type character varying(20)\n"))
    assert refused.status_code == 422 and "character varying(20))" in json.loads(refused.content)["message"]
