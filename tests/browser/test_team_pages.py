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


SHARE_NOTE = re.compile(r"nurturing share (\d{1,3}\.\d %) \(threshold (\d{1,3} %)\)")


def test_the_suggested_roles_write_the_share_as_its_column_does(login) -> None:
    """Each rep's suggested-role note writes the nurturing share as the site's percent, the same
    figure as the Nurturing share column (it read "nurturing share 89%")."""
    page = login("director")
    nav(page, "Team")
    table = page.locator("table").filter(has=page.get_by_role("columnheader", name="Suggested role"))
    expect(table.locator("tbody tr").first).to_be_visible()
    heads = [h.strip() for h in table.locator("thead th").all_text_contents()]
    share_at, role_at = heads.index("Nurturing share") + 1, heads.index("Suggested role") + 1
    checked = 0
    for row in table.locator("tbody tr").filter(has_text="nurturing share").all():
        note = row.locator(f"td:nth-child({role_at})").text_content() or ""
        found = SHARE_NOTE.search(note)
        assert found, note
        assert found.group(1) == (row.locator(f"td:nth-child({share_at})").text_content() or "").strip()
        checked += 1
    assert checked >= 5


def test_the_signals_write_utilisation_as_the_site_does(login) -> None:
    """Over capacity: the evidence writes the utilisation as the Utilisation column does
    ("utilisation 111.1 %"; it read "utilisation 111%")."""
    page = login("director", then="/team/signals/")
    over = page.get_by_role("listitem").filter(has_text="Over capacity")
    expect(over.first).to_be_visible()
    for text in over.all_text_contents():
        assert re.search(r"\(utilisation \d{3,}\.\d %\)", text), text
