"""Bounded imports (docs/imports.md, "Limits"): every limit a setting, every refusal naming
it and the line; hostile files refused fast with memory flat."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from bookwise.accounts.models import OrderLine
from bookwise.imports.services import import_file
from tests import factories

from .helpers import TODAY, messages, run

MB = 1024 * 1024
ORDERS = "order_id,account_id,order_date,amount,gross_profit,product_line,rep_id,kind\n"


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _deflated_repeat(head: bytes, block: bytes, times: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of head + block * times + tail, compressing `block` once: after a full
    flush the compressor forgets its history, so every repetition compresses alike."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    middle = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.compress(tail) + deflate.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return start + middle * times + end, len(head) + len(block) * times + len(tail), crc


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A ~0.5 MB .xlsx whose sheet holds one 500 MB cell."""
    small = _xlsx(tmp_path_factory.mktemp("x") / "small.xlsx", [["rep_id", "name", "role"]])
    path = small.with_name("bomb.xlsx")
    data, size, crc = _deflated_repeat(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>rep_id</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>',
        b"A" * MB,
        500,
        b"</t></is></c></row></sheetData></worksheet>",
    )
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, source.read(info))
        sheet = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2026, 1, 1, 0, 0, 0))
        sheet.compress_type, sheet.file_size, sheet.compress_size, sheet.CRC = (
            zipfile.ZIP_DEFLATED,
            size,
            len(data),
            crc,
        )
        sheet.header_offset = out.fp.tell()
        out.fp.write(sheet.FileHeader(zip64=True))
        out.fp.write(data)
        out.filelist.append(sheet)
        out.NameToInfo[sheet.filename] = sheet
        out.start_dir = out.fp.tell()
    with zipfile.ZipFile(path) as check, check.open("xl/worksheets/sheet1.xml") as handle:
        assert b"<t>AAAA" in handle.read(300)  # a real zip, unpacking to 500 MB
    return path


@pytest.fixture
def account(org):
    return factories.account("A1", owner=org["R1"])


def _timed(kind: str, path: Path):
    """The import's report, its CPU seconds (this process's: what it did, whatever else runs on
    the machine) and its peak of traced memory."""
    tracemalloc.start()
    started = time.process_time()
    try:
        report = import_file(kind=kind, path=path, filename=path.name, today=TODAY)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return report, time.process_time() - started, peak


def test_the_xlsx_bomb_is_refused_within_a_second_memory_flat(bomb, db):
    assert bomb.stat().st_size < 1 * MB
    report, seconds, peak = _timed("reps", bomb)
    assert messages(report) == [
        "bomb.xlsx: the XLSX unpacks to 500.0 MB, more than the 200 MB allowed (the "
        "import_max_xlsx_uncompressed_mb setting); save it as CSV or split it"
    ]
    assert seconds < 1 and peak < 5 * MB


def test_the_xlsx_bomb_is_refused_on_the_import_page(bomb, db, settings, tmp_path):
    settings.BOOKWISE = {**settings.BOOKWISE, "import_upload_dir": str(tmp_path / "uploads")}
    client = Client()
    client.force_login(factories.admin_user())
    upload = SimpleUploadedFile("reps.xlsx", bomb.read_bytes())
    response = client.post("/imports/", {"kind": "reps", "file": upload})
    assert b"import_max_xlsx_uncompressed_mb" in response.content
    assert list((tmp_path / "uploads").iterdir()) == []  # the refused upload is not kept


def test_a_50_mb_upload_is_refused_before_its_body_is_read(db, settings, tmp_path):
    settings.BOOKWISE = {**settings.BOOKWISE, "import_upload_dir": str(tmp_path / "uploads")}
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.admin_user())
    body = b"".join(
        [
            b'--B\r\nContent-Disposition: form-data; name="kind"\r\n\r\norders\r\n',
            b'--B\r\nContent-Disposition: form-data; name="file"; filename="orders.csv"\r\n',
            b"Content-Type: text/csv\r\n\r\n",
            ORDERS.encode() + b"x" * (50 * MB),
            b"\r\n--B--\r\n",
        ]
    )
    assert client.get("/imports/").status_code == 200  # a running server: its URLs loaded
    started = time.process_time()  # CPU, not wall time: the work done, whatever the machine's load
    response = client.generic("POST", "/imports/", body, content_type="multipart/form-data; boundary=B")
    assert time.process_time() - started < 1
    assert response.status_code == 303 and response["Location"] == "/imports/"
    response = client.get("/imports/")
    assert (
        "The file is 50.0 MB; uploads are limited to 20 MB (the import_max_upload_mb setting)."
        in response.content.decode()
    )
    assert not (tmp_path / "uploads").exists() or list((tmp_path / "uploads").iterdir()) == []


def test_an_oversized_body_elsewhere_gets_413(db):
    client = Client()
    response = client.generic("POST", "/api/transfers", b"{}", CONTENT_LENGTH=str(100 * MB))
    assert response.status_code == 413 and b"import_max_upload_mb" in response.content


def test_the_upload_form_checks_the_size_too(settings):
    from bookwise.imports.forms import UploadForm

    settings.BOOKWISE = {**settings.BOOKWISE, "import_max_upload_mb": 1}
    form = UploadForm({"kind": "reps"}, {"file": SimpleUploadedFile("r.csv", b"x" * (MB + 1))})
    assert not form.is_valid()
    assert form.errors["file"] == [
        "The file is 1.0 MB; uploads are limited to 1 MB (the import_max_upload_mb setting). "
        "Split the file, or import it on the server with `bookwise import`."
    ]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Pa\0per", "product_line: holds a control character (U+0000) at character 3; remove it"),
        ("Pa\x1bper", "product_line: holds a control character (U+001B) at character 3; remove it"),
    ],
)
def test_control_characters_are_named_by_line_and_column(account, tmp_path, cell, message):
    text = ORDERS + "O1,A1,2026-01-05,10.00,,Pumps,,new\nO2,A1,2026-01-06,12.00,," + cell + ",,new\n"
    report = run(tmp_path, "orders", text)
    assert messages(report) == [f"orders.csv:3: {message}"]
    assert not OrderLine.objects.exists()


def test_an_encoding_error_names_its_line(account, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(
        (ORDERS + "O1,A1,2026-01-05,10.00,,Pumps,,new\n").encode() + b"O2,A1,2026-01-06,1,,P\xffmps,,new\n"
    )
    report = import_file(kind="orders", path=path, filename="orders.csv", today=TODAY)
    assert messages(report) == [
        "orders.csv:3: -: the file is not UTF-8 text: byte 0xff at character 22 of the line cannot be "
        "read (invalid start byte)"
    ]


def test_a_10_mb_field_names_its_line_fast(account, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        ORDERS + "O1,A1,2026-01-05,10.00,,Pumps,,new\nO2,A1,2026-01-06,1,," + "P" * (10 * MB) + ",,new\n"
    )
    report, seconds, peak = _timed("orders", path)
    assert len(messages(report)) == 1
    assert messages(report)[0].startswith(
        "orders.csv:3: -: the line is longer than 360027 bytes: a cell holds at most 10000"
    )
    assert seconds < 1 and peak < 5 * MB


def test_a_long_cell_names_its_line(account, tmp_path):
    text = (
        ORDERS + "O1,A1,2026-01-05,10.00,,Pumps,,new\n" + 'O2,A1,2026-01-06,1,,"' + "P" * 10_001 + '",,new\n'
    )
    report = run(tmp_path, "orders", text)
    assert messages(report) == [
        "orders.csv:3: product_line: longer than 10000 characters (10001; the import_max_cell_chars setting)",
        "orders.csv:3: product_line: longer than 120 characters",
    ]
    huge = ORDERS + 'O2,A1,2026-01-06,1,,"' + "P" * 200_000 + '",,new\n'
    report = run(tmp_path, "orders", huge)  # past the csv module's own limit: the line is named
    assert messages(report) == [
        "orders.csv:2: -: a cell is longer than 10000 characters (the import_max_cell_chars setting)"
    ]
    xlsx = _xlsx(
        tmp_path / "orders.xlsx",
        [ORDERS.strip().split(","), ["O1", "A1", "2026-01-05", "1", "", "P" * 10_001]],
    )
    report = import_file(kind="orders", path=xlsx, filename="orders.xlsx", today=TODAY)
    assert messages(report) == [
        "orders.xlsx:2: product_line: longer than 10000 characters (10001; the "
        "import_max_cell_chars setting)",
        "orders.xlsx:2: product_line: longer than 120 characters",
    ]


def test_rows_over_the_limit_stop_the_import(account, tmp_path, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "import_max_rows": 3}
    lines = "".join(f"O{i},A1,2026-01-05,10.00,,Pumps,,new\n" for i in range(5))
    report = run(tmp_path, "orders", ORDERS + lines)
    assert messages(report) == [
        "orders.csv:5: -: the file has more than 3 rows (the import_max_rows setting); split it into "
        "several files"
    ]
    assert not OrderLine.objects.exists()


def test_an_import_stops_at_the_error_limit(account, tmp_path, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "import_max_errors": 5}
    report = run(tmp_path, "orders", ORDERS + "x\n" * 200_000)
    assert 5 <= report.error_count < 10  # the row that reaches the limit adds all of its errors
    assert messages(report)[-1] == (
        "orders.csv: the import stopped after 5 errors (the import_max_errors setting); correct these "
        "and import the file again"
    )


@pytest.mark.django_db(transaction=True)
def test_a_50_mb_upload_over_http_gets_the_answer_not_a_reset(live_server):
    """A real client still sending the body reads the redirect to the page with the message."""
    body = b"--B\r\n" + b"x" * (50 * MB) + b"\r\n--B--\r\n"
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        answer = client.post(
            "/imports/", content=body, headers={"Content-Type": "multipart/form-data; boundary=B"}
        )
    assert answer.status_code == 303 and answer.headers["Location"] == "/imports/"
