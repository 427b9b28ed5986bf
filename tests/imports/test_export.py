"""Export writes the import format: export then import changes nothing, for every kind."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from bookwise.imports.exporters import export_rows, write_file
from bookwise.imports.parsers import KINDS, SPECS
from bookwise.imports.services import import_file
from tests import factories

from .helpers import TODAY, counts


@pytest.fixture
def filled(org):
    r1, r2, r3 = org["R1"], org["R2"], org["R3"]
    r1.email = "r1@example.com"
    r1.save()
    parent = factories.account("A1", owner=r1, since=date(2021, 1, 1), potential="5000.5", industry="Food")
    sub = factories.account("A2", owner=r2, since=date(2022, 2, 2), parent=parent)
    factories.own(sub, r1, date(2022, 2, 2), role="secondary")
    other = factories.account("A3", owner=r3, since=date(2020, 1, 1))
    lost = factories.account("A4", status="lost", lost_date=date(2025, 1, 1), lost_reason="price")
    factories.own(lost, r3, date(2019, 1, 1), date(2024, 12, 31))
    factories.order(parent, date(2026, 1, 5), "100.10", gp="20", rep=r1, kind="new", product_line="Pumps")
    factories.order(other, date(2026, 1, 6), "-5")
    factories.opportunity(parent, rep=r1, close=date(2026, 6, 1))
    factories.opportunity(other, stage="lost", amount="0")
    factories.activity(r1, date(2026, 3, 2), "2.5", "account_nurturing", parent)
    factories.activity(r1, date(2026, 3, 2), "2.5", "account_nurturing", parent)
    factories.activity(r3, date(2026, 3, 2), "8", "prospecting")
    factories.agreement(parent, owner=r1)
    return org


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(filled, tmp_path, kind, suffix):
    path = tmp_path / f"{kind}.{suffix}"
    written = write_file(kind, path)
    assert written > 0
    report = import_file(kind=kind, path=path, today=TODAY)
    assert counts(report)[:2] == (0, 0) and report.deleted == 0
    assert report.unchanged == written


def test_export_rows_are_strings_in_the_import_format(filled):
    header, rows = export_rows("accounts")
    assert header == SPECS["accounts"].header
    rows = list(rows)
    assert [r[0] for r in rows][:1] == ["A1"] and rows.index(next(r for r in rows if r[0] == "A2")) > 0
    a1 = rows[0]
    assert a1[4] == "R1" and a1[7] == "2021-01-01" and a1[8] == "5000.50"
    a2 = next(r for r in rows if r[0] == "A2")
    assert (a2[4], a2[5], a2[6]) == ("R2", "R1", "A1")


def test_reps_are_exported_managers_first(filled):
    _, rows = export_rows("reps")
    order = [r[0] for r in rows]
    assert order.index("D1") < order.index("M1") < order.index("R1")


def test_scoped_export_for_a_rep_and_a_manager(filled):
    _, rows = export_rows("accounts", user=filled["R1"].user)
    assert sorted(r[0] for r in rows) == ["A1", "A2"]  # owner of A1, secondary of A2
    _, rows = export_rows("orders", user=filled["R3"].user)
    assert [r[1] for r in rows] == ["A3"]
    _, rows = export_rows("reps", user=filled["M1"].user)
    assert sorted(r[0] for r in rows) == ["M1", "R1", "R2"]
    _, rows = export_rows("activities", user=filled["R1"].user)
    assert {r[0] for r in rows} == {"R1"}
    _, rows = export_rows("accounts", user=factories.user_for(factories.rep("NOBODY")))
    assert list(rows) == []


def test_export_command_writes_csv_scoped_to_user(filled, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "acc.csv"
    call_command("export", "accounts", str(path), "--user", "r3", skip_checks=True)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == SPECS["accounts"].header
    assert [r[0] for r in rows[1:]] == ["A3"]


def test_xlsx_keeps_formula_like_text_as_text(filled, tmp_path):
    from openpyxl import load_workbook

    factories.account("A9", name="=HYPERLINK(1)", owner=filled["R1"])
    path = tmp_path / "accounts.xlsx"
    write_file("accounts", path)
    sheet = load_workbook(path).worksheets[0]
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert "=HYPERLINK(1)" in names
    assert all(row[1].data_type == "s" for row in sheet.iter_rows(min_row=2))
    report = import_file(kind="accounts", path=path, today=TODAY)
    assert counts(report)[:2] == (0, 0)
