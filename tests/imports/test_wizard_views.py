"""The import wizard's pages through Django's test client (units; the browser test walks
them in Chromium): who may use them, each step's server-side checks, the run and its CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from bookwise.accounts.models import OrderLine
from bookwise.imports.models import ImportRun, SavedMapping
from bookwise.jobs.models import Job
from tests import factories

from .wizard_files import invoice_lines, workbook


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "import_upload_dir": str(tmp_path / "uploads")}
    return tmp_path / "uploads"


@pytest.fixture
def book(org):
    """The org with one account owned by R1."""
    account = factories.account("ACC-1", owner=org["R1"])
    return {"account": account, **org}


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def admin(db):
    return _client(factories.admin_user())


@pytest.fixture
def sales_ops(org):
    user = org["R2"].user
    user.groups.add(Group.objects.get_or_create(name="Sales ops")[0])
    return _client(user)


def _csrf(client: Client) -> str:
    client.get("/imports/wizard/")
    return client.cookies["csrftoken"].value


def _post(client: Client, url: str, data: dict) -> object:
    return client.post(url, {**data, "csrfmiddlewaretoken": _csrf(client)})


def _upload(client: Client, content: bytes, name: str = "invoices.csv", kind: str = "orders") -> str:
    upload = SimpleUploadedFile(name, content)
    response = _post(client, "/imports/wizard/", {"kind": kind, "file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].split("/")[-3]


def _fields(kind_fields: list[str], **chosen: str) -> dict[str, str]:
    """The mapping form as the page sends it: every field's source, plus `chosen`."""
    return {**{f"{name}-source": "" for name in kind_fields}, **chosen}


def _map_invoices(client: Client, token: str, action: str = "preview", **extra: str) -> object:
    data = {
        "order_id-source": "col:Invoice No",
        "account_id-source": "col:Customer ID",
        "order_date-source": "col:Invoice Date",
        "order_date-date": "DD.MM.YYYY",
        "amount-source": "col:Net Amount (EUR)",
        "amount-decimal": ",",
        "product_line-source": "col:Product Group",
        "rep_id-source": "col:Salesman",
        "kind-source": "const",
        "kind-const": "new",
        "action": action,
        **extra,
    }
    return _post(client, f"/imports/wizard/{token}/map/", data)


def test_the_map_page_shows_the_suggestion_with_confidences(admin, book):
    token = _upload(admin, invoice_lines("ACC-1", "R1"))
    page = admin.get(f"/imports/wizard/{token}/map/").content.decode()
    assert "Invoice Date: 90 % (a usual name for it)" in page
    assert "Net Amount (EUR): 80 % (a usual name for it, with a note in brackets)" in page
    assert "the required field &#x27;order_id&#x27; is not mapped" in page  # still to do
    assert 'value="DD.MM.YYYY" selected' in page  # the date format read from the sample


def test_map_save_preview_confirm_and_result(admin, book):
    token = _upload(admin, invoice_lines("ACC-1", "R1"))
    response = _map_invoices(admin, token, action="save", name="ERP invoices")
    assert response.status_code == 302
    saved = SavedMapping.objects.get(name="ERP invoices", kind="orders")
    assert "Invoice No" in saved.body and "DD.MM.YYYY" in saved.body
    assert _map_invoices(admin, token)["Location"].endswith(f"/imports/wizard/{token}/preview/")

    page = admin.get(f"/imports/wizard/{token}/preview/").content.decode()
    assert "<td>2025-01-15</td>" in page and "<td>1234.50</td>" in page  # as Bookwise reads them
    assert "orders: 2 created, 0 updated, 0 unchanged" in page and not OrderLine.objects.exists()

    refused = _post(admin, f"/imports/wizard/{token}/confirm/", {})  # no "I understand"
    assert refused.status_code == 302 and not ImportRun.objects.exists()
    done = _post(admin, f"/imports/wizard/{token}/confirm/", {"confirm": "yes"})
    run = ImportRun.objects.get()
    assert done["Location"] == f"/imports/wizard/runs/{run.pk}/"
    assert (run.state, run.created, run.updated, run.unchanged) == ("done", 2, 0, 0)
    line = OrderLine.objects.get(external_id="INV-9001")
    assert line.amount == Decimal("1234.50") and str(line.order_date) == "2025-01-15"
    job = Job.objects.get(name="import_mapped")  # through the job queue (immediate in tests)
    assert job.state == "done" and job.link == f"/imports/wizard/runs/{run.pk}/"
    result = admin.get(done["Location"]).content.decode()
    assert "<dt>Created</dt><dd>2</dd>" in result and "<dt>Unchanged</dt><dd>0</dd>" in result
    # the upload is the run's now: the wizard's token is spent
    assert admin.get(f"/imports/wizard/{token}/preview/")["Location"] == "/imports/wizard/"


def test_a_file_with_errors_lists_them_and_cannot_be_confirmed(admin, book):
    token = _upload(admin, invoice_lines("ACC-1", "R1", bad=True), name="bad.csv")
    _map_invoices(admin, token)
    page = admin.get(f"/imports/wizard/{token}/preview/").content.decode()
    assert "2 errors in bad.csv: nothing can be imported" in page
    assert "bad.csv:3: Invoice Date: &#x27;31.13.2025&#x27; is not a date in the format DD.MM.YYYY" in page
    assert "bad.csv:4: Customer ID (account_id): unknown account &#x27;NO-SUCH-CUSTOMER&#x27;" in page
    assert "Import bad.csv" not in page
    crafted = _post(admin, f"/imports/wizard/{token}/confirm/", {"confirm": "yes"})
    assert crafted["Location"].endswith("/preview/") and not ImportRun.objects.exists()
    assert not OrderLine.objects.exists()
    rows = list(csv.reader(io.StringIO(admin.get(f"/imports/wizard/{token}/errors.csv").content.decode())))
    assert rows[0] == ["file", "line", "column", "error"]
    assert rows[1][:3] == ["bad.csv", "3", "Invoice Date"] and "31.13.2025" in rows[1][3]


def test_a_mapping_edit_after_the_preview_needs_a_new_preview(admin, book):
    token = _upload(admin, invoice_lines("ACC-1", "R1"))
    _map_invoices(admin, token)
    admin.get(f"/imports/wizard/{token}/preview/")
    _map_invoices(admin, token, action="fields", **{"product_line-case": "upper"})
    refused = _post(admin, f"/imports/wizard/{token}/confirm/", {"confirm": "yes"})
    assert refused["Location"].endswith("/preview/") and not ImportRun.objects.exists()


def test_a_column_that_is_not_in_the_file_is_refused(admin, book):
    token = _upload(admin, invoice_lines("ACC-1", "R1"))
    response = _map_invoices(admin, token, action="fields", **{"rep_id-source": "col:Secret"})
    assert response.status_code == 200
    assert "rep_id: &#x27;Secret&#x27; is not a column of the file" in response.content.decode()


def test_start_from_loads_only_listed_presets_and_saved_mappings(admin, book, tmp_path):
    token = _upload(admin, invoice_lines("ACC-1", "R1"))
    evil = tmp_path / "m.yaml"
    evil.write_text("kind: orders\nfields: {order_id: x}\n")
    response = _post(admin, f"/imports/wizard/{token}/map/", {"action": "start", "start": f"saved:{evil}"})
    assert "is not a preset or saved mapping for orders" in response.content.decode()
    ok = _post(admin, f"/imports/wizard/{token}/map/", {"action": "start", "start": "preset:odoo"})
    assert ok.status_code == 302
    assert "Started from: <strong>preset:odoo" in admin.get(ok["Location"]).content.decode()


def test_an_xlsx_sheet_is_chosen(admin, book):
    rows = list(csv.reader(io.StringIO(invoice_lines("ACC-1", "R1").decode())))
    content = workbook({"Notes": [["nothing here"]], "Invoices": rows})
    token = _upload(admin, content, name="invoices.xlsx")
    page = admin.get(f"/imports/wizard/{token}/map/").content.decode()
    assert '<option value="Invoices">' in page and "The file's columns: nothing here" in page
    _post(admin, f"/imports/wizard/{token}/map/", {"action": "sheet", "sheet": "Invoices"})
    page = admin.get(f"/imports/wizard/{token}/map/").content.decode()
    assert "Invoice No, Customer ID" in page
    _map_invoices(admin, token)
    assert "orders: 2 created" in admin.get(f"/imports/wizard/{token}/preview/").content.decode()


def test_a_file_over_the_upload_limit_is_refused(admin, book, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "import_max_upload_mb": 1}
    big = b"a,b\n" + b"1,2\n" * 300_000
    upload = SimpleUploadedFile("big.csv", big)
    response = _post(admin, "/imports/wizard/", {"kind": "orders", "file": upload})
    assert response.status_code == 303 and response["Location"] == "/imports/wizard/"
    assert "uploads are limited to 1 MB" in admin.get("/imports/wizard/").content.decode()


def test_sales_ops_may_use_the_wizard(sales_ops, book):
    assert '<a href="/imports/wizard/">Import</a>' in sales_ops.get("/accounts/").content.decode()
    assert sales_ops.get("/imports/").status_code == 403  # the simple page stays the administrators'
    token = _upload(sales_ops, invoice_lines("ACC-1", "R1"))
    _map_invoices(sales_ops, token)
    sales_ops.get(f"/imports/wizard/{token}/preview/")
    _post(sales_ops, f"/imports/wizard/{token}/confirm/", {"confirm": "yes"})
    assert ImportRun.objects.get().state == "done"


@pytest.mark.parametrize("who", ["R1", "M1", "D1"])
def test_everyone_else_is_forbidden(book, who):
    client = Client()
    client.force_login(book[who].user)
    run = ImportRun.objects.create(kind="orders", filename="x.csv", path="/nonexistent", mapping="")
    for url in [
        "/imports/wizard/",
        "/imports/wizard/T/map/",
        "/imports/wizard/T/preview/",
        f"/imports/wizard/runs/{run.pk}/",
        f"/imports/wizard/runs/{run.pk}/errors.csv",
    ]:
        assert client.get(url).status_code == 403, url
    upload = SimpleUploadedFile("x.csv", invoice_lines("ACC-1", "R1"))
    assert client.post("/imports/wizard/", {"kind": "orders", "file": upload}).status_code == 403
    assert client.post("/imports/wizard/T/confirm/", {"confirm": "yes"}).status_code == 403
    assert 'href="/imports/wizard/"' not in client.get("/accounts/").content.decode()


def test_another_users_run_is_not_found(sales_ops, book):
    other = ImportRun.objects.create(kind="orders", filename="x.csv", path="/nonexistent", mapping="")
    assert sales_ops.get(f"/imports/wizard/runs/{other.pk}/").status_code == 404
    assert sales_ops.get(f"/imports/wizard/runs/{other.pk}/errors.csv").status_code == 404


def test_csrf_is_required(admin, book):
    upload = SimpleUploadedFile("x.csv", invoice_lines("ACC-1", "R1"))
    assert admin.post("/imports/wizard/", {"kind": "orders", "file": upload}).status_code == 403


def test_anonymous_is_sent_to_login(db):
    response = Client().get("/imports/wizard/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_run_refused_at_import_time_shows_its_errors_and_their_csv(admin, book, upload_dir):
    """The data may change between the preview and the import: the run then fails with the
    errors, listed on its page and downloadable."""
    from bookwise.imports.wizard.runs import run_import

    upload_dir.mkdir(parents=True, exist_ok=True)
    path = upload_dir / "late.csv"
    path.write_bytes(invoice_lines("ACC-1", "R1", bad=True))
    token = _upload(admin, invoice_lines("ACC-1", "R1"))
    _map_invoices(admin, token)
    yaml_text = admin.session["imports_wizard"][token]["yaml"]
    run = ImportRun.objects.create(kind="orders", filename="late.csv", path=str(path), mapping=yaml_text)
    run = run_import(run.pk)
    assert (run.state, run.error_count) == ("failed", 2) and not path.exists()
    page = admin.get(f"/imports/wizard/runs/{run.pk}/").content.decode()
    assert "Nothing was imported: 2 errors." in page
    assert "late.csv:3: Invoice Date: &#x27;31.13.2025&#x27;" in page
    download = admin.get(f"/imports/wizard/runs/{run.pk}/errors.csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert [r[:3] for r in rows[1:]] == [
        ["late.csv", "3", "Invoice Date"],
        ["late.csv", "4", "Customer ID (account_id)"],
    ]
    assert not OrderLine.objects.exists()


def test_a_run_whose_file_is_gone_fails_with_a_reason(db):
    from bookwise.imports.wizard.runs import run_import

    run = ImportRun.objects.create(kind="orders", filename="x.csv", path="/nonexistent/x.csv", mapping="")
    run = run_import(run.pk)
    assert run.state == "failed" and run.message == "the uploaded file x.csv is gone; upload it again"


def test_a_running_import_shows_a_progress_bar_and_refreshes(admin, book):
    from django.core.cache import cache

    from bookwise.imports.wizard.runs import progress_key

    run = ImportRun.objects.create(
        kind="orders", filename="big.csv", path="/x", mapping="", state="running", rows_total=20_000
    )
    cache.set(progress_key(run.pk), 7_500)
    page = admin.get(f"/imports/wizard/runs/{run.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress max="20000" value="7500"' in page and "7,500 of 20,000 rows read" in page
    assert "you may leave this page and come back" in page
    cache.delete(progress_key(run.pk))
