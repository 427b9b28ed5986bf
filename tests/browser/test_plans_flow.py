"""Workflow 4: an account plan created, submitted, approved and reviewed, by clicking.

A rep writes the plan of one of their accounts and submits it; the rep cannot approve it;
their sales manager approves and records a review. The director does the same for a plan
written by the sales manager about an account she holds herself."""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import current_q
from bookwise.people.models import Rep
from bookwise.plans.models import AccountPlan

from .pages import expect_message, nav, open_account, post_as_page, switch_user


def account_without_plan(username: str) -> Account:
    """An active account the user holds as primary owner now, with no plan this year."""
    rep = Rep.objects.get(user=get_user_model().objects.get(username=username))
    year = timezone.localdate().year
    accounts = Account.objects.filter(
        status="active",
        ownerships__in=rep.ownerships.filter(current_q(timezone.localdate()), role="primary"),
    ).exclude(plans__year=year)
    account = accounts.order_by("external_id").first()
    assert account is not None, f"{username} holds no account without a {year} plan"
    return account


def expect_status(page: Page, text: str) -> None:
    expect(page.get_by_text(re.compile(r"^Status "))).to_contain_text(text)


def write_plan(page: Page, account: Account, owner_name: str) -> str:
    """From the account page to a saved draft plan; the URL of the plan's page."""
    open_account(page, account.external_id)
    page.get_by_role("link", name="Account plans").click()
    expect(page.get_by_text("This account has no plan yet.")).to_be_visible()
    page.get_by_role("button", name="Create draft").click()
    year = timezone.localdate().year
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit plan {year}: {account.name}")
    page.get_by_label("Situation").fill("Buys every quarter; the buyer changed in spring.")
    page.get_by_label("Revenue target").fill("25000")
    page.get_by_label("Gross profit target").fill("7000")
    page.get_by_label("Growth strategy").fill("Offer the service contract to the new buyer.")
    page.get_by_label("Risks and obstacles").fill("A competitor quotes lower prices.")
    page.get_by_label("Key contacts and relationships").fill("Dana Miller, head of purchasing.")
    due = date(year, 12, 31).isoformat()
    page.locator('[name="obj-0-description"]').fill("Sign the service contract")
    page.locator('[name="obj-0-kind"]').select_option(label="Product line adopted")
    page.locator('[name="obj-0-target"]').fill("Service")
    page.locator('[name="obj-0-owner"]').select_option(label=owner_name)
    page.locator('[name="obj-0-due_date"]').fill(due)
    page.locator('[name="act-0-description"]').fill("Meet the new buyer")
    page.locator('[name="act-0-owner"]').select_option(label=owner_name)
    page.locator('[name="act-0-due_date"]').fill(due)
    page.get_by_role("button", name="Save draft").click()
    expect_message(page, "Plan saved as a draft.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Account plan {year}: {account.name}")
    expect_status(page, "Status Draft")
    expect(page.get_by_text("Sign the service contract")).to_be_visible()
    return page.url


def submit(page: Page) -> None:
    page.get_by_role("button", name="Submit for approval").click()
    expect_message(page, "Plan submitted.")
    expect_status(page, "Status Submitted")


def approve_and_review(page: Page, plan_url: str, account: Account) -> None:
    """Find the plan in the year's list, approve it, record a review."""
    nav(page, "Plans")
    page.get_by_role("link", name=account.name, exact=True).click()
    assert page.url == plan_url
    page.get_by_role("button", name="Approve").click()
    expect_message(page, "Plan approved.")
    expect_status(page, "Status Approved · version 1")
    page.get_by_role("link", name="Record a review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review the")
    row = page.get_by_role("row").filter(has_text="Sign the service contract")
    row.get_by_role("combobox").select_option(label="In progress")
    row.get_by_role("textbox").fill("Draft contract sent to the buyer.")
    page.get_by_label("Notes").fill("Met the buyer; the contract is with their lawyers.")
    page.get_by_label("Next steps").fill("Call back in two weeks about the contract.")
    page.get_by_role("button", name="Record review").click()
    expect_message(page, "Review recorded.")
    reviews = page.get_by_role("row").filter(has_text="Met the buyer")
    expect(reviews).to_have_count(1)
    expect(reviews).to_contain_text("Draft contract sent to the buyer.")


def test_rep_writes_manager_approves_and_reviews(login, users) -> None:
    page = login("rep")
    account = account_without_plan(users["rep"])
    rep_name = Rep.objects.get(user__username=users["rep"]).name
    plan_url = write_plan(page, account, rep_name)
    submit(page)
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    plan = AccountPlan.objects.get(account=account)
    refused = post_as_page(page, f"/plans/{plan.pk}/approve/")
    assert refused.status == 403
    plan.refresh_from_db()
    assert plan.status == "submitted"

    switch_user(page, users["manager"])
    approve_and_review(page, plan_url, account)
    plan.refresh_from_db()
    assert (plan.status, plan.version, plan.reviews.count()) == ("approved", 1, 1)


def test_manager_writes_director_approves_and_reviews(login, users) -> None:
    page = login("manager")
    account = account_without_plan(users["manager"])
    plan_url = write_plan(page, account, Rep.objects.get(user__username=users["manager"]).name)
    submit(page)
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)  # never one's own plan

    switch_user(page, users["director"])
    approve_and_review(page, plan_url, account)


def test_blank_rows_save(login, users) -> None:
    """Saving the edit page as it comes (blank rows left blank) keeps the plan."""
    page = login("rep")
    account = account_without_plan(users["rep"])
    open_account(page, account.external_id)
    page.get_by_role("link", name="Account plans").click()
    page.get_by_role("button", name="Create draft").click()
    page.get_by_label("Situation").fill("Buys every quarter.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    assert "This field is required." not in page.content()
    assert page.url.endswith(f"/plans/{AccountPlan.objects.get(account=account).pk}/")
