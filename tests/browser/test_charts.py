"""The charts the workflows skip (see the `draw_charts` fixture) are drawn: Plotly is served
and draws every chart of the director's dashboard and of an account page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .pages import open_account


@pytest.fixture
def draw_charts() -> bool:
    return True


def expect_drawn(page: Page) -> None:
    charts = page.locator("div.chart")
    assert charts.count() > 0
    for chart in charts.all():
        expect(chart.locator("svg.main-svg").first).to_be_visible()


def test_dashboard_and_account_charts_are_drawn(login) -> None:
    page = login("director", then="/")
    expect(page.get_by_role("heading", name="Your book of business")).to_be_visible()
    expect_drawn(page)
    open_account(page, "AC-0001")
    expect_drawn(page)
