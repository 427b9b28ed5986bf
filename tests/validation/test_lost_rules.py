"""Marking an account lost: a cause is chosen (no default), the lost date lies between the
account's start and today, the browser asks for a confirmation, and the dropdown shows the
reason already recorded. The rules live in accounts.services (check_lost)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from bookwise.accounts.models import Account
from bookwise.core.models import AuditEntry
from bookwise.core.validation import InvalidValue
from bookwise.retention import services
from tests import factories as f
from tests.retention.helpers import book

pytestmark = pytest.mark.django_db
LOST_PAGE = "/retention/lost/?start=2026-01-01&end=2026-03-31"
TODAY = timezone.localdate()


def record(org, account, reason="competitor", lost_date=None, who="M1"):
    return services.lost_reason_record(
        account=account, reason=reason, lost_date=lost_date, actor=org[who].user
    )


def unchanged(account) -> bool:
    fresh = Account.objects.get(pk=account.pk)
    return (fresh.status, fresh.lost_reason) == ("active", "") and not AuditEntry.objects.filter(
        action="account.lost_reason"
    ).exists()


def test_regression_lost_date_in_2035_is_refused(org):
    a3 = book(org)["A3"]
    with pytest.raises(InvalidValue, match="Lost date: 2035-01-01 is after today"):
        record(org, a3, lost_date=date(2035, 1, 1))
    assert unchanged(a3)


def test_regression_lost_date_before_the_customers_start_is_refused(org):
    a3 = book(org)["A3"]  # created 2024-01-01
    with pytest.raises(
        InvalidValue, match=r"Lost date: 1990-01-01 is before the account's start .*2024-01-01"
    ):
        record(org, a3, lost_date=date(1990, 1, 1))
    assert unchanged(a3)


def test_the_start_is_the_first_order_when_it_comes_before_the_created_date(org):
    account = f.account("OLD", owner=org["R1"], since=date(2024, 1, 1))
    f.order(account, date(2022, 5, 1), "100")
    assert record(org, account, lost_date=date(2023, 1, 1)).lost_date == date(2023, 1, 1)
    with pytest.raises(InvalidValue, match="2022-05-01"):
        record(org, account, lost_date=date(2022, 4, 30))


@pytest.mark.parametrize("reason", ["", "acquired-ish", "."])
def test_a_cause_is_required(org, reason):
    a3 = book(org)["A3"]
    with pytest.raises(InvalidValue, match="Lost reason"):
        record(org, a3, reason=reason, lost_date=date(2026, 3, 1))
    assert unchanged(a3)


def test_a_good_record_is_audited_with_the_before(org):
    a3 = book(org)["A3"]
    record(org, a3, lost_date=TODAY)
    entry = AuditEntry.objects.get(action="account.lost_reason")
    assert entry.data["before"] == {"status": "active", "lost_reason": "", "lost_date": None}
    assert entry.data["lost_date"] == TODAY.isoformat()


def test_regression_the_dropdown_has_no_default_and_shows_the_recorded_reason(org, login):
    book(org)
    html = login(org["M1"]).get(LOST_PAGE).content.decode()
    rows = {
        m.group(1): m.group(0) for m in re.finditer(r"/retention/lost/(A\d)/reason/.*?</form>", html, re.S)
    }
    assert "A3" in rows and "A4" in rows
    # nothing recorded: the explicit "choose a cause" is the one selected, never "Acquired"
    assert rows["A3"].count("selected") == 1
    assert '<option value="" selected>— choose a cause —</option>' in rows["A3"]
    assert '<option value="price" selected>' in rows["A4"]  # A4's recorded reason
    assert 'name="confirm" required' in rows["A3"]


def test_regression_marking_lost_in_the_browser_needs_a_confirmation(org, login):
    a3 = book(org)["A3"]
    client = login(org["M1"])
    form = {"reason": "competitor", "lost_date": "2026-03-15", "next": LOST_PAGE}
    page = client.post("/retention/lost/A3/reason/", form, follow=True)
    assert "I confirm: mark this account lost: tick the box to confirm." in page.content.decode()
    assert unchanged(a3)
    client.post("/retention/lost/A3/reason/", {**form, "confirm": "on"})
    assert Account.objects.get(pk=a3.pk).lost_reason == "competitor"


def test_the_browser_shows_the_rule_in_the_users_words(org, login):
    a3 = book(org)["A3"]
    form = {"reason": "", "lost_date": "2026-03-15", "confirm": "on", "next": LOST_PAGE}
    page = login(org["M1"]).post("/retention/lost/A3/reason/", form, follow=True)
    assert "Lost reason: choose a cause." in page.content.decode()
    future = (TODAY + timedelta(days=10)).isoformat()
    page = login(org["M1"]).post(
        "/retention/lost/A3/reason/", {**form, "reason": "price", "lost_date": future}, follow=True
    )
    assert f"Lost date: {future} is after today" in page.content.decode()
    assert unchanged(a3)


def test_the_api_refuses_with_labels_and_changes_nothing(org, login):
    a3 = book(org)["A3"]
    client = login(org["M1"])
    for body, text in [
        ({"reason": "price", "lost_date": "2035-01-01"}, "Lost date: 2035-01-01 is after today"),
        ({"reason": "", "lost_date": "2026-03-01"}, "Lost reason: choose a cause."),
        ({"reason": "price", "lost_date": "not a date"}, "Lost date: "),
    ]:
        response = client.post("/api/retention/lost-reasons/A3", body, content_type="application/json")
        assert response.status_code == 422 and text in response.json()["message"], response.json()
    assert unchanged(a3)


def test_a_rep_is_still_refused_before_any_form_check(org, login):
    book(org)
    assert login(org["R1"]).post("/retention/lost/A3/reason/", {}).status_code == 403
