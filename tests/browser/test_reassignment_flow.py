"""Workflow 3: a mass reassignment of the demo rep's book (he is promoted), proposed by the
director from the list of plans, edited by his sales manager (one line given to another
rep, one line removed) and applied by the director after the confirmation (a manager applies
only lines to reps of their own team); the rep himself can neither
open nor change the plan of his book.

(The leaving rep's book is all in open transfers in the small demo: every line is left out.)"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from bookwise.people.models import Rep
from bookwise.transfers.models import ReassignmentPlan, Transfer

from .pages import expect_message, nav, post_as_page, switch_user

LINES = "table#lines tbody tr"


def propose(page: Page, rep: Rep) -> str:
    """Transfers -> Reassignment plans -> pick the rep -> propose; the plan's URL."""
    nav(page, "Transfers")
    page.get_by_role("link", name="Reassignment plans").click()
    expect(page.get_by_role("heading", name="Reassignment plans")).to_be_visible()
    picker = page.get_by_label("Rep whose book is handed over")
    picker.select_option(label=rep.name)
    page.get_by_role("button", name="Propose a plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Reassign the book of {rep.name}")
    page.get_by_label("Reason").select_option(label="Promotion")
    page.get_by_role("button", name="Propose a plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Reassignment plan for {rep.name}")
    expect(page.locator("#plan-state")).to_have_text("Draft")
    return page.url


def line_for(page: Page, account_name: str) -> Locator:
    return page.locator(LINES).filter(has_text=account_name)


def least_loaded_other(select: Locator, current: str) -> str:
    """The label of the picker's least loaded rep who is not the current recipient."""
    labels = [x for x in select.locator("option").all_inner_texts() if not x.startswith(current)]
    loaded = [(float(m.group(1)), x) for x in labels if (m := re.search(r"\((\d+) % loaded\)", x))]
    return min(loaded)[1]


def reassign_one(page: Page, moved: str) -> str:
    """Give the account's line to the least loaded other rep of the picker; their name."""
    row = line_for(page, moved)
    current = row.get_by_role("cell").nth(3).inner_text()
    picker = row.get_by_label(f"Recipient for {moved}")
    to_label = least_loaded_other(picker, current)
    picker.select_option(label=to_label)
    row.get_by_role("button", name="Reassign").click()
    to_name = to_label.rsplit(" (", 1)[0]
    expect_message(page, f"{moved} now goes to {to_name}.")
    expect(line_for(page, moved).get_by_role("cell").nth(3)).to_have_text(f"{to_name} edited")
    return to_name


def remove_one(page: Page, removed: str) -> int:
    """Remove the account's line; the number of lines left."""
    before = page.locator(LINES).count()
    line_for(page, removed).get_by_role("button", name="Remove").click()
    expect_message(page, f"{removed} was removed from the plan")
    expect(line_for(page, removed)).to_have_count(0)
    expect(page.locator(LINES)).to_have_count(before - 1)
    return before - 1


def test_plan_proposed_edited_and_applied(login, users) -> None:
    promoted = Rep.objects.get(user__username=users["rep"])
    page = login("director")
    plan_url = propose(page, promoted)
    names = [r.get_by_role("cell").first.inner_text().rsplit(" ", 1)[0] for r in page.locator(LINES).all()]
    assert len(names) >= 3, names  # "Account name AC-0001" -> the name

    switch_user(page, users["manager"])
    page.goto(plan_url)
    moved, removed = names[0], names[1]
    to_name = reassign_one(page, moved)
    count = remove_one(page, removed)

    switch_user(page, users["director"])  # the director's plan may hand lines across teams
    page.goto(plan_url)
    page.get_by_role("button", name=f"Create all {count} transfers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Apply the plan for {promoted.name}'s book?")
    page.get_by_role("button", name="Yes, create the transfers").click()
    expect_message(page, f"{count} transfers drafted from the plan.")
    plan = ReassignmentPlan.objects.get(pk=int(plan_url.rstrip("/").rsplit("/", 1)[1]))
    assert plan.state == "applied" and plan.transfers.count() == count
    assert plan.transfers.filter(account__name=moved, to_rep__name=to_name).exists()
    assert not Transfer.objects.filter(plan=plan, account__name=removed).exists()
    page.get_by_role("link", name=moved).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Transfer of {moved}")

    switch_user(page, users["rep"])
    response = page.goto(plan_url)
    assert response is not None and response.status == 404
    refused = post_as_page(page, f"/transfers/plans/{plan.pk}/discard/")
    assert refused.status == 404
