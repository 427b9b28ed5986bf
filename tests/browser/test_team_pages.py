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


MONEY_COLUMNS = {
    "Gross-profit growth of the book",
    "Gross profit in new accounts",
    "Team gross-profit growth",
}
TWO_DECIMALS = re.compile(rf"^-?{GROUPED}\.\d\d$")


def test_the_scorecards_write_money_and_its_medians_to_the_cent(login) -> None:
    """Every amount of the scorecards, the peers' median under it included, has two decimals
    (a median of two amounts read "median 10,528.575")."""
    page = login("director", then="/team/scorecards/")
    seen = []
    for table in page.locator("table").all():
        heads = [h.strip() for h in table.locator("thead th").all_text_contents()]
        for index, head in enumerate(heads):
            if head not in MONEY_COLUMNS:
                continue
            for cell in table.locator(f"tbody tr td:nth-child({index + 1})").all_text_contents():
                value, _, median = cell.partition("median")
                seen += [x.strip() for x in (value, median) if x.strip() and x.strip() != "—"]
    assert len(seen) >= 20, seen
    wrong = [x for x in seen if not TWO_DECIMALS.match(x)]
    assert not wrong, wrong
