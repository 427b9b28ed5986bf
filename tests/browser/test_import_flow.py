"""Workflow 6: an import uploaded with a bad row (the page names the line and the column and
imports nothing), corrected, checked again and confirmed; the imported account then shows in
the book. Only administrators import: the director, a manager and a rep are refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import FilePayload, Page, expect

from bookwise.accounts.models import Account
from bookwise.people.models import Rep

from .pages import fact, messages, nav, open_account, sign_in

HEADER = "account_id,name,industry,territory,owner_id,created_date,potential_revenue"
GOOD = "NEW-01,Fjord Robotics Ltd,Manufacturing,North Coast,R03,2024-02-01,45000.00"
BAD = "NEW-02,Glacier Foods GmbH,Food,North Coast,R03,2024-03-01,lots"
FIXED = "NEW-02,Glacier Foods GmbH,Food,North Coast,R03,2024-03-01,30000.00"


def upload(page: Page, kind: str, name: str, rows: list[str]) -> None:
    body = ("\n".join([HEADER, *rows]) + "\n").encode()
    page.get_by_label("Kind").select_option(kind)
    payload: FilePayload = {"name": name, "mimeType": "text/csv", "buffer": body}
    page.get_by_label("File").set_input_files(files=[payload])
    page.get_by_role("button", name="Check file").click()


def test_bad_row_named_then_corrected_and_confirmed(login) -> None:
    page = login("admin")
    nav(page, "Import")
    expect(page.get_by_role("heading", name="Import data")).to_be_visible()

    upload(page, "accounts", "accounts.csv", [GOOD, BAD])
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "1 error in accounts.csv: nothing was imported"
    )
    error = page.locator("ul.errors li").inner_text()
    assert error.startswith("accounts.csv:3: potential_revenue:") and "lots" in error, error
    expect(page.get_by_role("button", name="Import accounts.csv")).to_have_count(0)
    assert not Account.objects.filter(external_id__in=["NEW-01", "NEW-02"]).exists()

    upload(page, "accounts", "accounts.csv", [GOOD, FIXED])
    expect(page.get_by_role("heading", name="Check passed: accounts.csv")).to_be_visible()
    expect(page.get_by_text("accounts: 2 created, 0 updated")).to_be_visible()
    assert not Account.objects.filter(external_id__in=["NEW-01", "NEW-02"]).exists()  # a dry run
    page.get_by_role("button", name="Import accounts.csv").click()
    # the import runs as a job (in the tests' queue, at once): the jobs page follows it
    assert messages(page).startswith("Importing accounts.csv in the background"), messages(page)
    job = page.get_by_role("row").filter(has_text="Import accounts.csv")
    expect(job).to_contain_text("Done")
    expect(job).to_contain_text("Imported accounts.csv: accounts: 2 created, 0 updated")

    open_account(page, "NEW-02")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Glacier Foods GmbH")
    assert fact(page, "Potential (annual)") == "30,000.00"
    assert fact(page, "Primary owner") == Rep.objects.get(external_id="R03").name
    assert Account.objects.get(external_id="NEW-02").potential_revenue == 30000


@pytest.mark.parametrize("role", ["director", "manager", "rep"])
def test_only_administrators_import(page: Page, users, role: str) -> None:
    sign_in(page, users[role])
    expect(page.get_by_role("banner").get_by_role("link", name="Import")).to_have_count(0)
    response = page.goto("/imports/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("button", name="Check file")).to_have_count(0)
