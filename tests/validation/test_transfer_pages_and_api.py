"""The transfer workflow's rules as a user meets them: the browser asks for a confirmation
before complete and cancel and a real reason to cancel; the API asks for the reason too;
every message names the field by its label."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from bookwise.transfers.models import Transfer
from tests import factories
from tests.transfers.helpers import SECTIONS, book, draft, introduced

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def post(client, url, data=None, method="post"):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


def state(transfer) -> str:
    return Transfer.objects.get(pk=transfer.pk).state


def test_regression_complete_needs_a_confirmation_in_the_browser(org, login):
    transfer = introduced(org, book(org))
    client, url = login(org["M1"]), f"/transfers/{transfer.pk}/complete/"
    page = client.get(f"/transfers/{transfer.pk}/").content.decode()
    assert 'id="complete-form"' in page and 'name="confirm" required' in page
    refused = client.post(url, follow=True).content.decode()
    assert "tick the box to confirm" in refused and state(transfer) == "introduced"
    client.post(url, {"confirm": "on"})
    assert state(transfer) == "completed"


def test_regression_cancel_needs_a_confirmation_and_a_real_reason_in_the_browser(org, login):
    transfer = draft(org, book(org))
    client, url = login(org["M1"]), f"/transfers/{transfer.pk}/cancel/"
    page = client.post(url, {"reason": "The client objected."}, follow=True).content.decode()
    assert "I confirm: cancel this transfer: tick the box to confirm." in page
    page = client.post(url, {"reason": "", "confirm": "on"}, follow=True).content.decode()
    assert "Cancellation reason: an answer is required." in page
    page = client.post(url, {"reason": "-", "confirm": "on"}, follow=True).content.decode()
    assert "Cancellation reason: &#x27;-&#x27; is not an answer" in page
    assert state(transfer) == "draft"
    client.post(url, {"reason": "The client objected.", "confirm": "on"})
    assert state(transfer) == "cancelled"


def test_regression_cancel_over_the_api_needs_a_reason(org, login):
    transfer = draft(org, book(org))
    client = login(org["M1"])
    for payload in [{}, {"reason": ""}, {"reason": "."}]:
        response = post(client, f"/api/transfers/{transfer.pk}/cancel", payload)
        assert response.status_code == 422 and response.json()["message"].startswith("Cancellation reason:")
    assert state(transfer) == "draft"
    assert (
        post(client, f"/api/transfers/{transfer.pk}/cancel", {"reason": "Wrong account."}).status_code == 200
    )


def test_the_new_transfer_page_shows_the_rule_at_its_field(org, login):
    book(org)
    client = login(org["M1"])
    form = {"to": "R2", "effective_date": "2099-12-31", "reason": "rebalance", "co_coverage_days": "10"}
    page = client.post("/transfers/new/ACME/", form)
    assert page.status_code == 200 and "effective_date" in page.context["form"].errors
    assert "Effective date: 2099-12-31 is after 365 days after today" in page.content.decode()
    page = client.post("/transfers/new/ACME/", {**form, "effective_date": TODAY, "co_coverage_days": "99999"})
    assert "Co-coverage days: 99999 is not between 0 and 365." in page.content.decode()
    assert not Transfer.objects.exists()


def test_an_administrator_back_dates_in_the_browser_with_a_reason(org, login):
    book(org)
    client = login(factories.admin_user())
    old = (TODAY - timedelta(days=200)).isoformat()
    form = {"to": "R2", "effective_date": old, "reason": "rebalance"}
    page = client.post("/transfers/new/ACME/", form)
    assert page.status_code == 200 and "needs an administrator to confirm it" in page.content.decode()
    response = client.post(
        "/transfers/new/ACME/", {**form, "backdate_reason": "Signed in spring, keyed late."}
    )
    assert response.status_code == 302 and Transfer.objects.get().effective_date.isoformat() == old


def test_the_interview_form_refuses_placeholders_naming_the_question(org, login):
    transfer = draft(org, book(org))
    client = login(org["M1"])
    client.post(f"/transfers/{transfer.pk}/handoff/")
    page = client.post(
        f"/transfers/{transfer.pk}/interview/", {**SECTIONS, "key_contacts": "x"}, follow=True
    ).content.decode()
    assert "Key contacts and relationships: &#x27;x&#x27; is not an answer" in page


def test_regression_api_messages_use_labels_not_field_names(org, login):
    transfer = draft(org, book(org))
    client = login(org["M1"])
    post(client, f"/api/transfers/{transfer.pk}/handoff")
    bad_date = post(client, f"/api/transfers/{transfer.pk}/introduce", {"meeting_date": "2026-13-45"})
    assert bad_date.status_code == 422
    message = bad_date.json()["message"]
    assert message.startswith("Meeting date: ") and "meeting_date" not in message
    assert bad_date.json()["extra"]["field"] == "meeting_date"
    missing = post(client, "/api/transfers", {"account_id": "ACME", "to": "R2", "reason": "rebalance"})
    assert missing.json()["message"] == "Effective date: required."
    wrong = post(
        client, "/api/transfers", {"account_id": "ACME", "to": "R2", "reason": "x", "effective_date": 5}
    )
    assert "effective_date" not in wrong.json()["message"]
    answers = post(client, f"/api/transfers/{transfer.pk}/interview", {"upcoming_opportunities": "-"}, "put")
    assert answers.status_code == 422 and answers.json()["message"].startswith("Upcoming opportunities: ")
    assert answers.json()["extra"]["field"] == "upcoming_opportunities"


def test_regression_api_interview_dated_2030_and_placeholder_answers_are_refused(org, login):
    transfer = draft(org, book(org))
    client = login(org["M1"])
    post(client, f"/api/transfers/{transfer.pk}/handoff")
    url = f"/api/transfers/{transfer.pk}/interview"
    before = client.get(url).json()
    dated = post(client, url, {**SECTIONS, "interview_date": "2030-01-01"}, "put")
    assert dated.status_code == 422 and "Interview date: 2030-01-01 is after today" in dated.json()["message"]
    junk = {"recent_sales": ".", "upcoming_opportunities": "-", "ongoing_obstacles": "x"}
    assert post(client, url, {**SECTIONS, **junk}, "put").status_code == 422
    assert client.get(url).json() == before  # nothing saved


def test_a_date_before_1900_or_after_9999_is_a_parse_error_not_a_crash(org, login):
    book(org)
    client = login(org["M1"])
    for value in ["0001-01-01", "9999-12-31", "1899-12-31"]:
        response = post(client, "/api/transfers", {"account_id": "ACME", "to": "R2", "reason": "rebalance",
                                                   "effective_date": value})  # fmt: skip
        assert response.status_code == 422 and response.json()["message"].startswith("Effective date: ")
    assert not Transfer.objects.exists() and date.min.isoformat() == "0001-01-01"


def test_completing_a_transfer_behind_the_window_in_the_browser_needs_an_administrator(org, login):
    transfer = introduced(org, book(org))
    Transfer.objects.filter(pk=transfer.pk).update(effective_date=TODAY - timedelta(days=120))
    url = f"/transfers/{transfer.pk}/complete/"
    manager = login(org["M1"])
    assert "an administrator must confirm it" in manager.get(f"/transfers/{transfer.pk}/").content.decode()
    page = manager.post(url, {"confirm": "on", "backdate_reason": "Agreed in August."}, follow=True)
    assert "back-dating further needs an administrator" in page.content.decode()
    assert state(transfer) == "introduced"
    admin = login(factories.admin_user())
    assert 'name="backdate_reason"' in admin.get(f"/transfers/{transfer.pk}/").content.decode()
    admin.post(url, {"confirm": "on", "backdate_reason": "Agreed with finance in August."})
    assert state(transfer) == "completed"
