"""Rebalancing the demo company in a browser: the director proposes two scenarios for the
whole company (at most 3 moves, and unlimited), compares them side by side, opens the small
one, removes a move, gives another to a different rep, is refused a commit without the
confirmation, then commits; the transfers are on the transfers page and in the database. A
rep is offered no Rebalance section and is refused the pages."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from bookwise.rebalance.models import RebalanceProposal
from bookwise.transfers.models import Transfer

from .pages import expect_message, nav, post_as_page, switch_user

MOVES = "table#moves tbody tr"
COMPARED = "table#scenarios-compared tbody tr"


def propose_two(page: Page) -> None:
    """Rebalance -> the whole company, scenario 1 at most 3 moves, scenario 2 unlimited."""
    nav(page, "Rebalance")
    expect(page.get_by_role("heading", name="Rebalance books")).to_be_visible()
    page.get_by_label("Scope").select_option(label="The whole company")
    page.get_by_label("Scenario 1: most accounts moved").fill("3")
    page.get_by_label("Scenario 2: most accounts moved").fill("")
    page.get_by_label("Propose scenario 3").uncheck()
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rebalance of The whole company: 2 scenarios")


def compared(page: Page) -> dict[str, list[str]]:
    """Scenario name -> the cells of its row in the side-by-side table."""
    rows = {}
    for row in page.locator(COMPARED).all():
        cells = row.get_by_role("cell").all_inner_texts()
        rows[cells[0].strip()] = cells
    return rows


def figure(text: str) -> float:
    return float(text.replace(",", ""))


def move_row(page: Page, account: str) -> Locator:
    return page.locator(MOVES).filter(has_text=account)


def account_names(page: Page) -> list[str]:
    """The moved accounts' names ("Name AC-0001" -> "Name")."""
    return [r.get_by_role("cell").first.inner_text().rsplit(" ", 1)[0] for r in page.locator(MOVES).all()]


def give_to_another(page: Page, account: str) -> str:
    """Give the move to the least loaded other rep of its select; their name."""
    select = move_row(page, account).get_by_label(f"Recipient for {account}")
    current = move_row(page, account).get_by_role("cell").nth(2).inner_text().strip()
    labels = [x for x in select.locator("option").all_inner_texts() if not x.startswith(current)]
    loads = [(int(m.group(1)), x) for x in labels if (m := re.search(r"\((\d+) % loaded after\)", x))]
    label = min(loads)[1]
    select.select_option(label=label)
    move_row(page, account).get_by_role("button", name="Give to this rep").click()
    name = label.rsplit(" (", 1)[0]
    expect_message(page, f"{account} now goes to {name}.")
    return name


def test_two_scenarios_compared_one_edited_and_committed(login, users) -> None:
    page = login("director")
    existing = set(Transfer.objects.values_list("pk", flat=True))
    propose_two(page)
    rows = compared(page)
    assert list(rows) == ["Up to 3 moves, tolerance 10%", "Unlimited moves, tolerance 10%"]
    small, unlimited = rows["Up to 3 moves, tolerance 10%"], rows["Unlimited moves, tolerance 10%"]
    assert int(small[1]) == 3 and int(unlimited[1]) > 3  # accounts moved
    assert figure(unlimited[5]) <= figure(small[5]) <= figure(small[10])  # objective, doing nothing
    assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", small[2]), small[2]  # revenue moved, as money
    expect(page.locator("div.chart")).to_have_count(2)

    page.get_by_role("link", name="Up to 3 moves, tolerance 10%").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Up to 3 moves")
    expect(page.locator("#proposal-state")).to_have_text("Draft")
    proposal_url = page.url
    names = account_names(page)
    assert len(names) == 3, names
    removed, moved = names[0], names[1]
    move_row(page, removed).get_by_role("button", name=f"Remove the move of {removed}").click()
    expect_message(page, f"{removed} was removed from the proposal")
    expect(page.locator(MOVES)).to_have_count(2)
    expect(page.locator("#kpi-moves")).to_have_text("2")
    to_name = give_to_another(page, moved)
    expect(move_row(page, moved).get_by_role("cell").nth(2)).to_have_text(f"{to_name} edited")

    page.get_by_role("button", name="Create the transfers").click()  # not confirmed: the browser asks
    assert page.url.startswith(proposal_url) and Transfer.objects.count() == len(existing)
    page.get_by_label("I confirm: create these transfers (this cannot be undone)").check()
    page.get_by_role("button", name="Create the transfers").click()
    expect_message(page, "2 transfers drafted from the rebalance proposal.")
    expect(page.locator("#proposal-state")).to_have_text("Committed")

    proposal = RebalanceProposal.objects.get(pk=int(proposal_url.rstrip("/").rsplit("/", 1)[1]))
    made = Transfer.objects.exclude(pk__in=existing)
    assert proposal.state == "committed" and made.count() == 2
    assert made.filter(account__name=moved, to_rep__name=to_name, state="draft", reason="rebalance").exists()
    assert not made.filter(account__name=removed).exists()

    page.get_by_role("link", name="See the draft transfers").click()
    listed = page.locator("table tbody tr").filter(has_text="Rebalance")  # the reason column
    for name in (moved, names[2]):
        expect(listed.filter(has_text=name)).to_have_count(1)
    expect(listed.filter(has_text=removed)).to_have_count(0)
    listed.filter(has_text=moved).get_by_role("link", name=moved).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Transfer of {moved}")

    switch_user(page, users["rep"])
    expect(page.get_by_role("banner").get_by_role("link", name="Rebalance", exact=True)).to_have_count(0)
    response = page.goto(proposal_url)
    assert response is not None and response.status == 403
    assert post_as_page(page, f"/rebalance/{proposal.pk}/discard/", {"confirm": "yes"}).status == 403
