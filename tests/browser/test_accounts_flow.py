"""Workflow 1: dashboard -> account list -> filter -> account detail, for the director, a
sales manager and a rep; a rep cannot reach an account outside their book."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import visible_accounts

ROWS = "table.accounts tbody tr"


def open_accounts_from_dashboard(page: Page) -> int:
    """From the dashboard, click Accounts in the navigation; the number of accounts listed."""
    expect(page.get_by_role("heading", name="Your book of business")).to_be_visible()
    page.get_by_role("banner").get_by_role("link", name="Accounts", exact=True).click()
    expect(page.get_by_role("heading", name="Accounts", exact=True)).to_be_visible()
    return count_shown(page)


def count_shown(page: Page) -> int:
    text = page.get_by_text(re.compile(r"^[\d,]+ accounts? · ")).inner_text()
    return int(text.split()[0].replace(",", ""))


def cells(page: Page, row: int) -> list[str]:
    return page.locator(ROWS).nth(row).get_by_role("cell").all_inner_texts()


@pytest.mark.parametrize("role", ["director", "manager", "rep"])
def test_dashboard_to_filtered_list_to_account(login, role: str) -> None:
    page = login(role, then="/")
    total = open_accounts_from_dashboard(page)
    assert total > 0
    tier = cells(page, 0)[5]  # id, name, territory, potential, status, tier, owners

    page.get_by_label("Status").select_option(label="Active")
    page.get_by_label("Tier").select_option(label=tier)
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"status=active.*tier=" + tier))
    filtered = count_shown(page)
    assert 0 < filtered <= total
    rows = page.locator(ROWS)
    for i in range(rows.count()):
        row = cells(page, i)
        assert row[4] == "active" and row[5].startswith(tier), row

    owner = cells(page, 0)[6]  # the owner picker takes a name
    page.get_by_label("Owner").fill(owner)
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"owner="))
    assert 0 < count_shown(page) <= filtered
    for i in range(rows.count()):
        assert cells(page, i)[6] == owner

    account_id, name = cells(page, 0)[:2]
    page.get_by_label("Search").fill(name)
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"q="))
    assert count_shown(page) >= 1
    page.get_by_role("link", name=name, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_role("heading", level=1)).to_contain_text(account_id)
    expect(page.get_by_text("Owners over time")).to_be_visible()
    expect(page.get_by_text("Primary owner", exact=True)).to_be_visible()
    page.get_by_role("link", name="Accounts", exact=True).first.click()
    expect(page.get_by_role("heading", name="Accounts", exact=True)).to_be_visible()


def test_a_rep_sees_only_their_book(login, users) -> None:
    page = login("rep", then="/accounts/")
    shown = count_shown(page)
    rep_user = get_user_model().objects.get(username=users["rep"])
    mine = visible_accounts(user=rep_user)
    assert shown == mine.count()
    other = Account.objects.exclude(pk__in=mine.values("pk")).order_by("external_id").first()
    assert other is not None

    page.get_by_label("Search").fill(other.external_id)
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No accounts match these filters.")).to_be_visible()

    response = page.goto(f"/accounts/{other.external_id}/")
    assert response is not None and response.status == 404
    expect(page.get_by_text(other.name)).to_have_count(0)
