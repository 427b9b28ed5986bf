"""The team pages as a director reads them: the time study's recommendation gives its hours
as the rest of the site writes numbers (thousands separators, whole hours from 100 on), not
the raw decimals of the database (it read "38931.75 of 58286.00 selling hours")."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .pages import nav

GROUPED = r"\d{1,3}(?:,\d{3})*"  # 38,932; below 100 hours a tenth: 7.3
HOURS_LINE = re.compile(
    rf"^({GROUPED}|\d{{1,2}}\.\d) of ({GROUPED}) selling hours went to account nurturing$"
)


def test_the_time_study_writes_its_hours_as_the_site_does(login) -> None:
    page = login("director")
    nav(page, "Team")
    card = page.locator(".card").filter(has=page.get_by_role("heading", name="Recommendation"))
    line = card.get_by_role("listitem").filter(has_text="selling hours went to account nurturing")
    expect(line).to_have_count(1)
    text = line.inner_text().strip()
    found = HOURS_LINE.match(text)
    assert found, text
    total = int(found.group(2).replace(",", ""))
    assert total >= 1000, f"the demo's team logs {total} selling hours: no separator to see"
    expect(card.get_by_role("listitem").filter(has_text="team nurturing share")).to_contain_text(" %")
