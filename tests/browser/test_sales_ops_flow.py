"""Sales operations, as the demo's `ops1` uses Bookwise: signed in through the form, the
dashboard shows the whole book's figures (the director's, not an empty state), and every link
of the home page opens (none answers 400 or more); the navigation offers Import (the wizard),
Rebalance and Audit. Sales ops compute a commission run and propose a rebalance through the
pages, and find neither the run's approval nor the proposal's commit (crafted, both refused)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Page, expect

from bookwise.commissions.models import Run
from bookwise.rebalance.models import RebalanceProposal
from bookwise.transfers.models import Transfer

from .pages import expect_message, nav, post_as_page, sign_in, switch_user
from .test_commissions_flow import last_complete_quarter

KPIS = ".kpis .kpi"


def home_links(page: Page) -> list[str]:
    """The home page's links within the site, once each (not signing out, not the admin site)."""
    hrefs = page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
    pages = dict.fromkeys(urldefrag(h).url for h in hrefs)  # "#contacts" is a place on a page
    return [h for h in pages if not urlsplit(h).path.startswith(("/logout/", "/admin/"))]


def test_sales_ops_see_the_whole_books_dashboard_and_every_home_link_opens(page: Page, users) -> None:
    sign_in(page, users["sales_ops"], then="/")
    expect(page.get_by_role("banner")).to_contain_text("Olivia Park sales ops")  # a name, not a username
    expect(page.locator("p.empty", has_text="No accounts in your view yet")).to_have_count(0)
    figures = page.locator(KPIS).all_inner_texts()
    assert len(figures) >= 6 and "logo retention (0 of 0)" not in " ".join(figures), figures
    nav = page.get_by_role("banner").get_by_role("link")
    assert {"Import", "Rebalance", "Audit", "Jobs", "Commissions"} <= set(nav.all_inner_texts())
    links = home_links(page)
    assert len(links) > 15, links
    # each link through the browser's own session (its cookies), without drawing every page:
    # tests/web/test_presentation_navigation.py walks the pages' links for every role
    statuses = {href: page.request.get(href).status for href in links}
    failed = {href: status for href, status in statuses.items() if status >= 400}
    assert failed == {}, f"links of sales ops' home page that fail: {failed}"
    switch_user(page, users["director"], then="/")
    assert page.locator(KPIS).all_inner_texts() == figures  # the director's whole book, figure for figure


def test_sales_ops_compute_a_run_and_propose_a_rebalance_but_neither_approve_nor_commit(
    page: Page, users
) -> None:
    sign_in(page, users["sales_ops"], then="/commissions/")
    period = last_complete_quarter()
    runs = page.locator("form").filter(has=page.get_by_role("button", name="Compute draft run"))
    runs.get_by_label("Period").fill(period)
    runs.get_by_role("button", name="Compute draft run").click()
    expect_message(page, f"Draft run of {period} computed.")
    expect(page.get_by_text("A director or an administrator approves and freezes this run.")).to_be_visible()
    expect(page.get_by_role("button", name="Approve and freeze this run")).to_have_count(0)
    run = Run.objects.get(period=period)
    post_as_page(page, f"/commissions/runs/{run.pk}/approve/", {"confirm": "yes"})
    assert Run.objects.get(pk=run.pk).status == "draft"

    nav(page, "Rebalance")
    page.get_by_label("Scope").select_option(label="The whole company")
    page.get_by_label("Scenario 1: most accounts moved").fill("3")
    page.get_by_label("Propose scenario 2").uncheck()
    page.get_by_label("Propose scenario 3").uncheck()
    page.get_by_role("button", name="Propose").click()
    page.get_by_role("link", name="Up to 3 moves, tolerance 10%").click()
    expect(page.locator("#proposal-state")).to_have_text("Draft")
    expect(page.locator("#commit-by-others")).to_be_visible()
    expect(page.get_by_role("button", name="Create the transfers")).to_have_count(0)
    proposal = RebalanceProposal.objects.get(created_by__username=users["sales_ops"])
    confirmed = {"effective_date": date.today().isoformat(), "confirm": "on"}
    answer = post_as_page(page, f"/rebalance/{proposal.pk}/commit/", confirmed)
    assert answer.status == 403
    assert RebalanceProposal.objects.get(pk=proposal.pk).state == "draft"
    assert not Transfer.objects.filter(reason="rebalance").exists()
