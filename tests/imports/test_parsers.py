"""The pure parsing layer: field parsers, header checks, CSV/XLSX reading (no database)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from bookwise.imports import fastpath, parsers
from bookwise.imports.parsers import SPECS, HeaderError, RowError, check_header, parse_row
from bookwise.imports.reading import read_rows
from tests.properties import examples


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1234.56", Decimal("1234.56")),
        ("-12.5", Decimal("-12.50")),
        ("0", Decimal("0.00")),
        ("7", Decimal("7.00")),
    ],
)
def test_money_accepts_dot_decimals(raw, expected):
    assert parsers.money(raw) == expected


@pytest.mark.parametrize("raw", ["1,234.56", "12,5", "1 000", "abc", "1.234", "nan", "1e3x"])
def test_money_rejects_other_spellings(raw):
    with pytest.raises(ValueError):
        parsers.money(raw)


@pytest.mark.parametrize("raw", ["2026-02-30", "2026/01/01", "01-02-2026", "2026-1-1", "yesterday"])
def test_dates_are_strict_iso(raw):
    with pytest.raises(ValueError):
        parsers.iso_date(raw)


@pytest.mark.parametrize(
    "raw, ok",
    [
        ("0.25", True),
        ("24", True),
        ("8.5", True),
        ("0", False),
        ("-1", False),
        ("24.01", False),
        ("x", False),
    ],
)
def test_hours_must_be_more_than_zero_and_at_most_24(raw, ok):
    if ok:
        assert parsers.hours(raw) == Decimal(raw)
    else:
        with pytest.raises(ValueError):
            parsers.hours(raw)


def test_header_is_case_insensitive_and_order_free():
    assert check_header(SPECS["reps"], ["Role", " NAME ", "rep_ID"]) == ["role", "name", "rep_id"]


def test_header_reports_unknown_duplicate_and_missing_columns_at_once():
    with pytest.raises(HeaderError) as caught:
        check_header(SPECS["reps"], ["rep_id", "nmae", "rep_id"])
    found = {(e.column, e.message.split(" (")[0]) for e in caught.value.errors}
    assert found == {
        ("nmae", "unknown column"),
        ("rep_id", "column appears twice"),
        ("name", "missing required column"),
        ("role", "missing required column"),
    }
    assert all(e.line == 1 for e in caught.value.errors)


def test_parse_row_collects_every_bad_cell_and_applies_defaults():
    values, errors = parse_row(SPECS["reps"], 7, {"rep_id": "R1", "role": "boss", "hire_date": "2020-13-01"})
    assert [(e.line, e.column) for e in errors] == [(7, "name"), (7, "role"), (7, "hire_date")]
    assert values["capacity"] == 100


def test_cross_field_checks():
    _, errors = parse_row(SPECS["accounts"], 3, {"account_id": "A", "name": "N", "status": "lost"})
    assert errors == [
        RowError(3, "lost_date", "required when status is lost"),
        RowError(3, "lost_reason", "required when status is lost"),
    ]
    _, errors = parse_row(
        SPECS["reps"],
        4,
        {"rep_id": "R", "name": "N", "role": "hunter", "hire_date": "2020-02-01", "end_date": "2020-01-31"},
    )
    assert [e.column for e in errors] == ["end_date"]


def test_enums_match_the_models():
    from bookwise.accounts import models as am
    from bookwise.people.models import Role

    pairs = [
        (parsers.ROLES, Role),
        (parsers.STATUSES, am.AccountStatus),
        (parsers.LOST_REASONS, am.LostReason),
        (parsers.OWNERSHIP_ROLES, am.OwnershipRole),
        (parsers.OWNERSHIP_REASONS, am.OwnershipReason),
        (parsers.ORDER_KINDS, am.OrderKind),
        (parsers.STAGES, am.OpportunityStage),
        (parsers.ACTIVITY_KINDS, am.ActivityKind),
    ]
    for values, choices in pairs:
        assert set(values) == set(choices.values)


def test_csv_with_bom_blank_lines_and_quoted_newlines_keeps_line_numbers(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('\ufeffREP_ID,name,role\nR1,"Ann\nSmith",hunter\n\nR2,Bob,hunter\n', encoding="utf-8")
    rows = list(read_rows(path, SPECS["reps"]))
    assert [(line, row["rep_id"]) for line, row in rows] == [(2, "R1"), (5, "R2")]


def test_a_row_with_extra_cells_is_an_error(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("rep_id,name,role\nR1,Ann,hunter,oops\n", encoding="utf-8")
    ((line, raw),) = read_rows(path, SPECS["reps"])
    _, errors = parsers.parse_file_row(SPECS["reps"], line, raw)
    assert errors and errors[0].line == 2


def test_xlsx_cells_read_like_csv_text(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Order_ID", "account_id", "order_date", "amount"])
    ws.append([1001, "A1", datetime(2026, 1, 5), 12.5])
    ws.append([None, None, None, None])
    ws.append(["X2", "A1", date(2026, 1, 6), 100.0])
    path = tmp_path / "o.xlsx"
    wb.save(path)
    rows = list(read_rows(path, SPECS["orders"]))
    assert rows == [
        (2, {"order_id": "1001", "account_id": "A1", "order_date": "2026-01-05", "amount": "12.5"}),
        (4, {"order_id": "X2", "account_id": "A1", "order_date": "2026-01-06", "amount": "100"}),
    ]


def test_empty_file_is_a_header_error(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(HeaderError):
        read_rows(path, SPECS["reps"])


_cells = st.one_of(
    st.sampled_from(["", " ", "0", "-0.5", "12.", "+5", "1e3", "1,5", "2026-02-29", "2024-02-29", "x" * 70]),
    st.from_regex(r"-?\d{1,16}(\.\d{0,3})?", fullmatch=True),
    st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True),
    st.sampled_from(list(parsers.ORDER_KINDS) + ["Repeat", "upsell"]),
    st.text(max_size=8),
)


@settings(max_examples=examples(300), deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "order_id": st.one_of(st.from_regex(r"[A-Z]\d{1,5}", fullmatch=True), _cells),
            "account_id": st.one_of(st.from_regex(r"A\d{1,3}", fullmatch=True), _cells),
            "order_date": st.one_of(st.dates().map(date.isoformat), _cells),
            "amount": st.one_of(st.from_regex(r"-?\d{1,15}(\.\d{1,2})?", fullmatch=True), _cells),
            "gross_profit": st.one_of(st.just(""), _cells),
            "product_line": st.text(max_size=130),
            "rep_id": st.one_of(st.just(""), _cells),
            "kind": st.sampled_from([*parsers.ORDER_KINDS, "", " new ", "upsell"]),
        }
    )
)
def test_fast_order_path_agrees_with_the_general_parser(raw):
    fast = fastpath.fast_order(raw)
    values, errors = parsers.parse_file_row(SPECS["orders"], 2, raw)
    if fast is None:
        return  # the general parser decides (values or errors)
    event("fast path")
    assert not errors
    cents = int(values["amount"] * 100)
    gp = None if values["gross_profit"] is None else int(values["gross_profit"] * 100)
    expected = (values["order_id"], values["account_id"], values["order_date"], cents, gp)
    assert fast[:5] == expected
    assert fast[5:] == (values["product_line"] or "", values["rep_id"] or "", values["kind"])
