"""Any period, in a browser, on the Maven CRM sample loaded through the command line
(`bookwise convert maven-crm` + `bookwise import`): the dashboard opened with no parameters
shows 2017-Q4 with figures; the picker changes the period; the retention report of 2017-Q2
warns that its base period is partial (the history starts on 2017-03-01)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.maven import load_maven, needs_maven

from .pages import sign_in

pytestmark = needs_maven


@pytest.fixture
def maven_admin(transactional_db: None, tmp_path) -> str:
    load_maven(tmp_path)
    return factories.admin_user("analyst").get_username()


def test_the_dashboard_and_the_retention_report_follow_the_picked_period(
    page: Page, maven_admin: str
) -> None:
    sign_in(page, maven_admin, then="/", password=factories.PASSWORD)
    summary = page.locator("p.period-summary")
    expect(summary).to_contain_text("2017-Q4 (2017-10-01 – 2017-12-31) against 2017-Q3")
    expect(summary).to_contain_text("book figures as of 2017-12-31")
    nrr = page.locator(".kpi", has_text="net revenue retention").locator(".value")
    expect(nrr).to_have_text(re.compile(r"^\d+\.\d %$"))  # a figure, not the empty dash
    expect(page.locator(".kpi", has_text="logo retention")).to_contain_text("(85 of 85)")
    expect(page.locator(".period-warnings")).to_have_count(0)

    picker = page.get_by_role("form", name="Period picker")
    picker.get_by_label("Period", exact=True).select_option("2017-Q3")
    picker.get_by_role("button", name="Show").click()
    expect(summary).to_contain_text("2017-Q3 (2017-07-01 – 2017-09-30) against 2017-Q2")
    expect(picker.get_by_label("Period", exact=True)).to_have_value("2017-Q3")

    page.get_by_role("link", name="Retention", exact=True).first.click()
    expect(page.get_by_role("heading", name="Retention 2017-Q4")).to_be_visible()
    picker = page.get_by_role("form", name="Period picker")
    picker.get_by_label("Period", exact=True).select_option("custom")
    picker.get_by_label("Start").fill("2017-04-01")
    picker.get_by_label("End").fill("2017-06-30")
    picker.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Retention 2017-Q2")).to_be_visible()
    warning = page.get_by_role("note", name="Incomplete data")
    expect(warning).to_contain_text("The book's history starts on 2017-03-01, inside the base period P′")
    expect(warning).to_contain_text("NRR and GRR may be inflated")

    picker = page.get_by_role("form", name="Period picker")
    picker.get_by_label("Period", exact=True).select_option("2017-Q2")
    picker.get_by_label("Start").fill("")
    picker.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Retention 2017-Q2")).to_be_visible()
    page.goto("/retention/?period=2031")
    expect(page.get_by_role("alert")).to_contain_text("Period: 2031-01-01..2031-12-31 starts after today")
    expect(page.get_by_role("heading", name="Retention 2017-Q4")).to_be_visible()
