"""Supply agreements by clicking: the demo's sales manager (sm1) opens the renewal pipeline,
finds the agreement running out first, opens it and reads its burn-down (drawn); her rep sees
only the agreements of their own accounts; another team's agreement is a 404."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from bookwise.agreements.models import Agreement


@pytest.fixture
def draw_charts() -> bool:
    return True


def test_a_manager_sees_the_renewal_pipeline_and_opens_a_burn_down(login) -> None:
    page: Page = login("manager", then="/")
    page.get_by_role("link", name="Agreements", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supply agreements")
    page.get_by_role("link", name="Renewal pipeline").click()
    soon = page.locator("#within-30")
    expect(soon.get_by_role("heading")).to_contain_text("Ending within 30 days (1)")
    first = soon.locator("tbody tr").first
    agreement_id = first.locator("td").first.inner_text()
    first.get_by_role("link", name=agreement_id).click()
    agreement = Agreement.objects.select_related("account").get(external_id=agreement_id)
    expect(page.get_by_role("heading", level=1)).to_contain_text(agreement.account.name)
    expect(page.locator("#status")).to_have_text("Active")
    expect(page.locator("#remaining")).not_to_have_text("—")
    chart = page.locator("#burn-down .chart")
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    expect(chart).to_contain_text("Burn-down of " + agreement_id)
    expect(chart).to_contain_text("Straight line")


def test_over_consumed_and_a_rep_sees_only_their_own(login, users) -> None:
    page: Page = login("manager", then="/agreements/?consumption=exceeded")
    rows = page.locator("#agreements tbody tr")
    expect(rows.first).to_contain_text("Commitment exceeded")
    seen_by_manager = rows.first.locator("td").first.inner_text()
    others = Agreement.objects.exclude(account__ownerships__rep__manager__external_id="SM1").exclude(
        account__ownerships__rep__external_id="SM1"
    )
    stranger = others.order_by("external_id").first()
    assert stranger is not None
    assert page.goto(f"/agreements/{stranger.external_id}/").status == 404
    page.goto(f"/agreements/{seen_by_manager}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(seen_by_manager))


def test_a_date_in_2099_is_refused_in_words_not_read_as_today(login) -> None:
    page: Page = login("manager", then="/")
    answer = page.goto("/agreements/renewals/?date=2099-01-01")
    assert answer is not None and answer.status == 422
    expect(page.locator("body")).to_contain_text("Date: 2099-01-01 is after today")
    expect(page.locator("body")).not_to_contain_text("Renewal pipeline on")
