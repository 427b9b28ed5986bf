"""Goals cascaded, by clicking: Helena (SM1, manager of region North) sees her goals on her
home page, opens region North's NRR goal the director left for her, tries a split by hand
that does not add up (refused, in words), then splits it by last year's share across her
territories; a rep of her team sees only their own goals."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from bookwise.goals.models import Goal
from bookwise.people.models import Rep

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


def test_a_director_sees_first_which_teams_are_behind_and_opens_one(login) -> None:
    """The director's goals page opens on the teams at a glance (every region and territory
    against every figure, with its status), each team's reps folded below; it used to list
    every rep's every goal one under another (about 13,500 px in the demo)."""
    page = login("director", then="/goals/")
    glance = page.locator(".card").filter(has=page.get_by_role("heading", name="Teams at a glance"))
    territories = glance.get_by_role("row").filter(has_text="territory")
    expect(territories.first).to_be_in_viewport()
    assert territories.count() >= 2
    assert "track" in territories.first.inner_text()  # a status per figure
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 7000, f"the goals page is {height} px tall"
    team = page.locator("details.team").filter(has_text="North Coast")
    reps = team.locator("tbody tr")
    expect(reps.first).to_be_hidden()
    team.locator("summary").click()
    expect(reps.first).to_be_visible()
    shown = {text.split("\t")[0].removesuffix(" rep").strip() for text in reps.all_inner_texts()}
    members = set(Rep.objects.filter(territory__name="North Coast").values_list("name", flat=True))
    assert shown and shown <= members, (shown, members)
    expect(page.locator("details.team").filter(has_text="Highlands").get_by_role("row").first).to_be_hidden()


def test_a_goal_nothing_measures_says_no_data(login) -> None:
    """A sales manager holds no accounts: their gross-profit growth cannot be measured. Their
    goal reads "no data" (it used to read "—" and "on track" against a target of 0)."""
    year = timezone.localdate().year
    goal = (
        Goal.objects.filter(
            figure="gp_growth", period=str(year), rep__role="sales_manager", rep__ownerships__isnull=True
        )
        .select_related("rep")
        .first()
    )
    assert goal is not None and goal.rep is not None
    page = login("director", then=f"/goals/{year}/gp_growth/?node=rep:{goal.rep.external_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(goal.rep.name)
    kpi = page.locator(".kpi").filter(has_text="attainment")
    expect(kpi.locator(".badge")).to_have_text("no data")
    expect(page.locator(".kpi").filter(has_text="actual to date").locator(".value")).to_have_text("—")
