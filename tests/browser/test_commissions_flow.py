"""Workflow 5: a commission run computed and approved by the director, a line of the rep's
statement disputed by the rep, and the dispute resolved by the rep's sales manager (refused
first while the amount to pay is missing). A rep cannot compute runs nor resolve disputes."""

from __future__ import annotations

import html
import re

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from bookwise.commissions.models import Dispute, Run
from bookwise.core.dates import parse_period
from bookwise.people.models import Rep

from .pages import expect_message, nav, post_as_page, switch_user

COMMENT = "The order was signed after the account came to me; I expected the full rate."


def last_complete_quarter() -> str:
    today = timezone.localdate()
    return parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}").previous().label


def compute_and_approve(page: Page, period: str) -> None:
    nav(page, "Commissions")
    runs = page.locator("form").filter(has=page.get_by_role("button", name="Compute draft run"))
    runs.get_by_label("Period").fill(period)
    runs.get_by_role("button", name="Compute draft run").click()
    expect_message(page, f"Draft run of {period} computed.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Commission run {period} Draft")
    expect(page.get_by_role("row")).not_to_have_count(1)  # statements listed under the header
    approve = page.get_by_role("button", name="Approve and freeze this run")
    approve.click()  # not confirmed: the browser keeps the form until the box is ticked
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Commission run {period} Draft")
    page.get_by_label("I have checked this run's statements: approve and freeze it").check()
    approve.click()
    expect_message(page, f"Run of {period} approved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Commission run {period} Approved")
    expect(page.get_by_text(re.compile(r"^Approved .* Frozen"))).to_be_visible()
    expect(page.get_by_role("button", name="Approve and freeze this run")).to_have_count(0)


def dispute_first_line(page: Page, period: str) -> str:
    """From Commissions, open the period's statement and dispute its first line; the order id."""
    nav(page, "Commissions")
    expect(page.get_by_role("button", name="Compute draft run")).to_have_count(0)
    page.get_by_role("link", name=period, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Commission statement {period}")
    line = page.get_by_role("row").filter(has=page.get_by_role("button", name="Dispute")).first
    order_id = line.get_by_role("cell").first.inner_text()
    line.get_by_placeholder("What is wrong?").fill(COMMENT)
    line.get_by_role("button", name="Dispute").click()
    expect_message(page, "Dispute sent to your manager.")
    expect(page.get_by_role("listitem").filter(has_text=f"{order_id}: Open")).to_be_visible()
    return order_id


def dispute_row(page: Page, rep_name: str, order_id: str) -> Locator:
    return page.get_by_role("row").filter(has_text=rep_name).filter(has_text=order_id)


def rep_is_refused(page: Page, dispute: Dispute, period: str) -> None:
    """The rep has no Resolve button on his dispute; a crafted resolution is a 403 with the
    reason (he sees the dispute) and a crafted run is refused with a message; nothing changes."""
    nav(page, "Commissions")
    page.get_by_role("link", name="Disputes").click()
    row = dispute_row(page, dispute.statement.rep.name, dispute.order_id)
    expect(row.get_by_role("button", name="Resolve")).to_have_count(0)
    rejection = {"decision": "rejected", "reason": "Not my call, but I would reject it."}
    refused = post_as_page(page, f"/commissions/disputes/{dispute.pk}/resolve/", rejection)
    assert refused.status == 403
    assert "Only the rep's managers or an admin resolve a dispute." in html.unescape(refused.text())
    dispute.refresh_from_db()
    assert dispute.status == "open"
    earlier = parse_period(period).year_earlier().label  # a quarter without any run
    post_as_page(page, "/commissions/runs/", {"period": earlier})
    nav(page, "Commissions")
    expect_message(page, "Only admins and directors run commissions.")
    assert not Run.objects.filter(period=earlier).exists()


def manager_resolves(page: Page, dispute: Dispute) -> None:
    """Refused without the amount (the message names it), then accepted with 12.50. The
    manager sees the rep's statement but disputes none of its lines: a crafted dispute is a
    403 with the reason."""
    crafted = {"order_id": dispute.order_id, "comment": "Disputed for him."}
    refused = post_as_page(page, f"/commissions/statements/{dispute.statement_id}/disputes/", crafted)
    assert refused.status == 403
    assert "Only the statement's rep may dispute its lines" in html.unescape(refused.text())
    assert Dispute.objects.filter(statement=dispute.statement).count() == 1
    nav(page, "Commissions")
    expect(page.get_by_role("button", name="Compute draft run")).to_have_count(0)
    page.get_by_role("link", name="Disputes").click()
    row = dispute_row(page, dispute.statement.rep.name, dispute.order_id)
    expect(row).to_contain_text(COMMENT)
    reason = "The order was signed after the handover: full rate."
    row.get_by_label("Decision").select_option(label="Accept")
    row.get_by_label("Reason").fill(reason)
    row.get_by_role("button", name="Resolve").click()
    expect_message(page, "Amount: accepting needs the amount to pay as an adjustment.")
    expect(row).to_contain_text("Open")
    row.get_by_label("Decision").select_option(label="Accept")
    row.get_by_label("Amount", exact=True).fill("12.50")
    row.get_by_label("Reason").fill(reason)
    row.get_by_role("button", name="Resolve").click()
    expect_message(page, "Dispute resolved.")
    page.get_by_label("Status").select_option(label="All")
    page.get_by_role("button", name="Filter").click()
    expect(row).to_contain_text("Accepted")
    expect(row).to_contain_text("(12.50)")


def test_run_approved_and_dispute_resolved(login, users) -> None:
    period = last_complete_quarter()
    page = login("director")
    compute_and_approve(page, period)

    switch_user(page, users["rep"])
    rep = Rep.objects.get(user__username=users["rep"])
    order_id = dispute_first_line(page, period)
    dispute = Dispute.objects.get(statement__rep=rep, order_id=order_id, statement__run__period=period)
    rep_is_refused(page, dispute, period)

    switch_user(page, users["manager"])
    manager_resolves(page, dispute)
    dispute.refresh_from_db()
    assert (dispute.status, str(dispute.amount)) == ("accepted", "12.50")
