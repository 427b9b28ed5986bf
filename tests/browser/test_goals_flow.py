"""Goals cascaded, by clicking: Helena (SM1, manager of region North) sees her goals on her
home page, opens region North's NRR goal the director left for her, tries a split by hand
that does not add up (refused, in words), then splits it by last year's share across her
territories; a rep of her team sees only their own goals."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from bookwise.goals.models import Goal

from .pages import expect_message, nav, switch_user


def test_a_manager_splits_a_company_goal_across_the_team(login, users) -> None:
    year = timezone.localdate().year
    page = login("manager", then="/")
    panel = page.locator("#panel-goals")
    expect(panel.get_by_role("heading", name=f"Goals {year}")).to_be_visible()
    expect(panel.get_by_role("link", name="NRR").first).to_be_visible()
    nav(page, "Goals")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Goals {year}")
    nrr = page.locator(".card").filter(has=page.get_by_role("heading", name="NRR", exact=True))
    nrr.get_by_role("row").filter(has_text="North").filter(has_text="region").get_by_role(
        "link", name="Split"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Split the NRR goal")
    page.get_by_label("By hand (the targets below)").check()
    for box in page.get_by_role("textbox").all():
        box.fill("10%")
    page.get_by_role("button", name="Split the goal").click()
    expect(page.get_by_role("alert")).to_contain_text("percentage points below the goal")
    assert not Goal.objects.filter(figure="nrr", period=str(year), territory__name="North Coast").exists()
    page.get_by_label("By last year's share").check()
    page.get_by_role("button", name="Split the goal").click()
    expect_message(page, "NRR goal of North split.")
    parts = page.locator(".card").filter(has=page.get_by_role("heading", name="Its parts"))
    expect(parts.get_by_role("link", name="North Coast")).to_be_visible()
    expect(parts.get_by_role("link", name="Highlands")).to_be_visible()
    assert Goal.objects.filter(figure="nrr", period=str(year), territory__name="Highlands").exists()
    switch_user(page, users["rep"], then="/goals/")
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert all("rep" in text for text in rows.all_inner_texts())
    expect(page.get_by_role("link", name="Split")).to_have_count(0)
