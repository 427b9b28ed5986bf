"""The import wizard, walked in Chromium: an ERP's invoice lines (its own columns, German
dates, decimal commas) uploaded; the suggestion shown with its confidences; the one field it
could not guess (order_id <- "Invoice No") mapped by hand; the mapping saved by name and
previewed. A second file with errors, mapped by the saved mapping, lists every error (file,
line, column, value), offers them as CSV and cannot be imported (a crafted confirmation is
refused too). The corrected file is confirmed, imported by the job queue, and the result page
(also reached again from /jobs/) shows the counts. A rep may not open the wizard."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import FilePayload, Page, expect

from bookwise.accounts.models import Account, OrderLine
from bookwise.imports.models import SavedMapping
from tests.imports.wizard_files import invoice_lines

from .pages import expect_message, fact, nav, post_as_page, sign_in


def upload(page: Page, name: str, body: bytes) -> None:
    page.goto("/imports/wizard/")
    page.get_by_label("Kind").select_option("orders")
    payload: FilePayload = {"name": name, "mimeType": "text/csv", "buffer": body}
    page.get_by_label("File").set_input_files(files=[payload])
    page.get_by_role("button", name="Upload and map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"2. Map the columns of {name}")


def start_from_saved(page: Page, name: str) -> None:
    page.get_by_label("Start from").select_option(label=f"saved: {name}")
    page.get_by_role("button", name="Load this mapping").click()
    expect_message(page, f"starting from saved {name}")


def test_wizard_from_upload_to_confirmed_import(login) -> None:
    account = Account.objects.order_by("external_id").first()
    assert account is not None
    good, bad = invoice_lines(account.external_id, "R03"), invoice_lines(account.external_id, "R03", bad=True)
    page = login("admin", then="/imports/")
    page.get_by_role("link", name="the import wizard").click()

    upload(page, "invoices.csv", good)
    row = page.locator("#field-order_date")
    expect(row).to_contain_text("Invoice Date: 90 % (a usual name for it)")
    expect(page.locator("#field-amount")).to_contain_text("Net Amount (EUR): 80 %")
    expect(page.get_by_label("Still to do")).to_contain_text("the required field 'order_id' is not mapped")
    page.get_by_label("order_id", exact=True).select_option(label="Invoice No")
    page.get_by_label("Mapping name").fill("ERP invoices")
    page.get_by_role("button", name="Save mapping").click()
    expect_message(page, "Saved the mapping 'ERP invoices' for orders")
    expect(page.get_by_label("Still to do")).to_have_count(0)
    assert "Invoice No" in SavedMapping.objects.get(name="ERP invoices", kind="orders").body

    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Check passed")).to_be_visible()
    first = page.locator("table.preview tbody tr").first
    expect(first).to_contain_text("INV-9001")
    expect(first).to_contain_text("2025-01-15")
    expect(first).to_contain_text("1234.50")
    expect(page.get_by_text("orders: 2 created, 0 updated, 0 unchanged")).to_be_visible()

    upload(page, "bad.csv", bad)
    start_from_saved(page, "ERP invoices")
    page.get_by_role("button", name="Preview").click()
    refusal = "2 errors in bad.csv: nothing can be imported"
    expect(page.get_by_role("heading", level=2).nth(1)).to_have_text(refusal)
    errors = page.get_by_label("Errors").locator("li").all_inner_texts()
    assert errors == [
        "bad.csv:3: Invoice Date: '31.13.2025' is not a date in the format DD.MM.YYYY",
        "bad.csv:4: Customer ID (account_id): unknown account 'NO-SUCH-CUSTOMER'",
    ], errors
    expect(page.get_by_role("button", name="Import bad.csv")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the errors (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[1][:3] == ["bad.csv", "3", "Invoice Date"] and "31.13.2025" in rows[1][3], rows
    token = page.url.split("/")[-3]
    crafted = post_as_page(page, f"/imports/wizard/{token}/confirm/", {"confirm": "yes"})
    assert crafted.status == 302 and crafted.headers["location"].endswith("/preview/")
    assert not OrderLine.objects.filter(external_id__startswith="INV-9").exists()

    upload(page, "invoices.csv", good)  # the corrected file
    start_from_saved(page, "ERP invoices")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Check passed")).to_be_visible()
    assert not OrderLine.objects.filter(external_id__startswith="INV-9").exists()  # a dry run
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Import invoices.csv").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import of invoices.csv")
    expect(page.get_by_role("heading", name="Done")).to_be_visible()  # the page refreshes until then
    assert (fact(page, "Created"), fact(page, "Updated"), fact(page, "Unchanged")) == ("2", "0", "0")
    assert OrderLine.objects.filter(external_id__startswith="INV-9").count() == 2

    nav(page, "Jobs")  # left, and come back from the jobs page
    job = page.get_by_role("row").filter(has_text="Import invoices.csv (orders, wizard)")
    expect(job).to_contain_text("Imported invoices.csv: orders: 2 created, 0 updated, 0 unchanged")
    job.get_by_role("link", name="Open").click()
    expect(page.get_by_role("heading", name="Done")).to_be_visible()


def test_a_rep_may_not_use_the_wizard(page: Page, users) -> None:
    sign_in(page, users["rep"])
    expect(page.get_by_role("banner").get_by_role("link", name="Import")).to_have_count(0)
    response = page.goto("/imports/wizard/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("button", name="Upload and map")).to_have_count(0)
