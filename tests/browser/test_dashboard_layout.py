"""The home page's panels show their whole tables: a panel whose table is wider than one
column of the grid (the goals, with a status column) takes two, and no panel's content is
cut off or pushed out of its card."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect


def overflowing_panels(page: Page) -> list[str]:
    """The ids of the dashboard panels whose content is wider than the panel."""
    return page.locator(".dashboard-panel").evaluate_all(
        "panels => panels.filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.id)"
    )


@pytest.mark.parametrize("role", ["director", "manager"])
def test_no_dashboard_panel_cuts_off_its_table(login, role) -> None:
    page = login(role, then="/")
    goals = page.locator("#panel-goals")
    expect(goals.get_by_role("columnheader", name="Status")).to_be_visible()
    assert overflowing_panels(page) == []
    status = goals.get_by_role("columnheader", name="Status").bounding_box()
    card = goals.bounding_box()
    assert status and card and status["x"] + status["width"] <= card["x"] + card["width"]
