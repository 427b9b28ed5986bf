"""A transfer cannot rewrite the ownership history of a period whose commission run is
approved: refused at drafting, and at completion when the run was approved since."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bookwise.accounts.models import Ownership
from bookwise.commissions.models import Run
from bookwise.core.dates import add_months
from bookwise.core.validation import InvalidValue
from bookwise.transfers import services
from bookwise.transfers.models import Transfer
from tests.transfers.helpers import EFFECTIVE, book, draft, introduced


def quarter(day):
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_end(day):
    start = day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    return add_months(start, 3) - timedelta(days=1)


def approve(label: str) -> Run:
    return Run.objects.create(period=label, status="approved")


def test_draft_effective_inside_an_approved_period_is_refused(org):
    account = book(org)
    approve(quarter(EFFECTIVE))
    with pytest.raises(InvalidValue) as refused:
        draft(org, account)
    assert refused.value.message == (
        f"Effective date: {EFFECTIVE:%Y-%m-%d} would change who owned the account during "
        f"{quarter(EFFECTIVE)}, whose commission run is approved and frozen; choose a date from "
        f"{quarter_end(EFFECTIVE) + timedelta(days=1):%Y-%m-%d} on."
    )
    assert refused.value.extra["field"] == "effective_date"
    assert not Transfer.objects.exists()


def test_completion_refused_when_the_period_was_approved_since_drafting(org):
    account = book(org)
    transfer = introduced(org, account)
    approve(quarter(EFFECTIVE))
    with pytest.raises(InvalidValue, match="approved and frozen"):
        services.transfer_complete(transfer=transfer, actor=org["M1"].user)
    transfer.refresh_from_db()
    assert transfer.state == "introduced"
    assert list(Ownership.objects.filter(account=account).values_list("rep__external_id", "end_date")) == [
        ("R1", None)
    ]


def test_an_approved_earlier_period_does_not_block_a_later_effective_date(org):
    account = book(org)
    previous = add_months(EFFECTIVE, -3)
    approve(quarter(previous))
    assert draft(org, account).state == "draft"


def test_api_refuses_with_the_field_named(org, login):
    book(org)
    approve(quarter(EFFECTIVE))
    body = {"account_id": "ACME", "to": "R2", "effective_date": EFFECTIVE.isoformat(), "reason": "rebalance"}
    response = login(org["M1"]).post("/api/transfers", body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert "approved and frozen" in response.json()["message"]
