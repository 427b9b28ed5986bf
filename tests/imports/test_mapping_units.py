"""The mapping layer's pieces: transforms (hand-worked and by property), the mapping's own
errors, suggestion, the ownership rule, saved mappings, and the friendlier header contract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookwise.core.models import AuditEntry
from bookwise.imports.mapping.apply import apply
from bookwise.imports.mapping.library import parse_yaml
from bookwise.imports.mapping.model import MappingError, OwnershipRule, mapping_from_dict
from bookwise.imports.mapping.owners import Win, choose_owner
from bookwise.imports.mapping.store import load_mapping, save_mapping
from bookwise.imports.mapping.suggest import suggest
from bookwise.imports.mapping.transforms import date_step, extract_step, map_step, number_step
from bookwise.people.models import Rep

from .helpers import messages, run


@pytest.mark.parametrize(
    "fmt, text, iso",
    [
        ("MM/DD/YYYY", "02/29/2024", "2024-02-29"),
        ("M/D/YYYY", "3/5/2023 10:02 AM", "2023-03-05"),
        ("DD.MM.YYYY", "31.12.2024", "2024-12-31"),
        ("YYYY-MM-DD", "2024-03-31T14:22:01Z", "2024-03-31"),
        ("YYYY-MM-DD", "2024-03-31 14:22:01.123+02:00", "2024-03-31"),
        ("excel", "45351", "2024-02-29"),
        ("excel", "45351.75", "2024-02-29"),
    ],
)
def test_dates(fmt, text, iso):
    assert date_step(fmt)(text) == iso


def test_a_bad_date_names_the_value_and_the_format():
    with pytest.raises(
        ValueError, match=r"'31/31/2025' is not a date in the format DD/MM/YYYY or YYYY-MM-DD"
    ):
        date_step(["DD/MM/YYYY", "YYYY-MM-DD"])("31/31/2025")
    with pytest.raises(ValueError, match="out of range"):
        date_step("DD.MM.YYYY")("01.01.2999")


@pytest.mark.parametrize(
    "options, text, plain",
    [
        ({}, "$12,500.00", "12500"),
        ({}, "USD 1,234.5", "1234.5"),
        ({"decimal": ","}, "1.234,56 €", "1234.56"),
        ({"decimal": ",", "thousands": " "}, "1 234,56", "1234.56"),
        ({}, "(1,234.00)", "-1234"),
        ({"decimal": ","}, "12,30-", "-12.3"),
        ({}, "£0.99", "0.99"),
    ],
)
def test_numbers(options, text, plain):
    assert number_step(options)(text) == plain


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.sampled_from([(".", ","), (",", "."), (",", " ")]),
)
def test_a_number_written_in_any_locale_reads_back(value, marks):
    decimal_mark, thousands = marks
    whole, _, cents = f"{abs(value):,.2f}".partition(".")
    text = ("-" if value < 0 else "") + whole.replace(",", thousands) + decimal_mark + cents + " €"
    parsed = number_step({"decimal": decimal_mark, "thousands": thousands})(text)
    assert Decimal(parsed) == value


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
def test_a_date_written_in_any_format_reads_back(day):
    assert date_step("DD.MM.YYYY")(day.strftime("%d.%m.%Y")) == day.isoformat()
    assert date_step("M/D/YYYY")(f"{day.month}/{day.day}/{day.year} 4:05 PM") == day.isoformat()
    serial = (day - date(1899, 12, 30)).days
    assert date_step("excel")(str(serial)) == day.isoformat()


def test_value_maps_and_extraction():
    stage = map_step({"Closed Won": "won", "Closed Lost": "lost"})
    assert stage(" closed won ") == "won"
    with pytest.raises(
        ValueError, match=r"'Stalled' is not a value the mapping knows \('Closed Won', 'Closed Lost'\)"
    ):
        stage("Stalled")
    assert map_step({"A": "x"}, other="keep")("B") == "B"
    assert extract_step("id")("Acme (ACC-001)") == "ACC-001"
    with pytest.raises(ValueError, match="does not hold"):
        extract_step("id")("Acme")


def test_joining_constants_case_and_conditions():
    mapping = mapping_from_dict(
        {
            "kind": "reps",
            "fields": {
                "rep_id": {"columns": ["First", "Last"], "join": ".", "case": "lower"},
                "name": {"columns": ["First", "Last"]},
                "role": {"value": "hunter"},
                "territory": {"column": "Team", "when": {"column": "Active", "in": ["yes"]}},
            },
        }
    )
    applied = apply(
        mapping,
        ["FIRST", "last", "team", "Active"],
        iter([(2, {"FIRST": "Ann", "last": "Lee", "team": "N", "Active": "no"})]),
    )
    assert list(applied.rows) == [
        (2, {"rep_id": "ann.lee", "name": "Ann Lee", "role": "hunter", "territory": ""})
    ]


def test_a_wrong_mapping_says_where():
    text = (
        "kind: opportunities\nfields:\n  opportunity_id: Id\n  colour: Colour\n"
        "  stage: {column: S, case: shouty, map: [1]}\nownership: {derive: random}\n"
    )
    with pytest.raises(MappingError) as caught:
        parse_yaml(text, kind="opportunities")
    assert caught.value.problems == [
        "fields.colour: not a field of opportunities (opportunity_id, account_id, rep_id, name, stage, "
        "amount, expected_close_date, closed_date)",
        "fields.stage.case: one of upper, lower, title",
        "fields.stage.map: expected source values and their Bookwise value",
        "fields: the required field 'account_id' is not mapped",
        "ownership: expected {derive: most_won_revenue or most_won_deals, months: 12}",
    ]
    with pytest.raises(MappingError, match="the mapping is for reps, not accounts"):
        parse_yaml("kind: reps\nfields: {rep_id: a, name: b, role: c}\n", kind="accounts")


def test_suggestion_by_synonyms_with_confidence():
    headers = ["Deal ID", "Company name", "Owner Name", "Stage", "Amount (EUR)", "Close Date", "Colour"]
    sample = [{"Stage": "Closed Won", "Amount (EUR)": "1.234,50 €", "Close Date": "31.12.2024"}]
    found = suggest("opportunities", headers, sample)
    columns = {f: (g.column, g.confidence) for f, g in found.guesses.items() if g.column}
    assert columns == {
        "opportunity_id": ("Deal ID", 0.9),
        "account_id": ("Company name", 0.9),
        "rep_id": ("Owner Name", 0.9),
        "stage": ("Stage", 1.0),
        "amount": ("Amount (EUR)", 0.8),
        "expected_close_date": ("Close Date", 0.9),
    }
    assert found.fields["stage"] == {"column": "Stage", "map": {"Closed Won": "won"}}
    assert found.fields["amount"] == {"column": "Amount (EUR)", "money": {"decimal": ","}}
    assert found.fields["expected_close_date"] == {"column": "Close Date", "date": "DD.MM.YYYY"}
    assert found.missing == [] and found.unused == ["Colour"]
    assert suggest("accounts", ["Account Owner", "Colour"]).missing == ["account_id", "name"]


def test_suggestion_recognises_a_preset():
    found = suggest("reps", ["SALES_AGENT", "Manager", "Regional Office"])
    assert found.preset == "maven-crm" and found.missing == []


def test_the_ownership_rule_worked_by_hand():
    """Wins on one account; the latest is 2024-12-15, so 12 months reach back past 2023-12-15:
    X's 200 of 2023-06-01 is out. In the window X won 100 (1 deal), Y 80 + 50 = 130 (2 deals)."""
    wins = [
        Win("X", Decimal(200), date(2023, 6, 1)),
        Win("X", Decimal(100), date(2024, 1, 10)),
        Win("Y", Decimal(80), date(2024, 11, 30)),
        Win("Y", Decimal(50), date(2024, 12, 15)),
    ]
    assert choose_owner(wins, OwnershipRule("most_won_revenue", 12)) == "Y"
    assert choose_owner(wins, OwnershipRule("most_won_revenue", 0)) == "X"  # all wins: 300 against 130
    assert choose_owner(wins, OwnershipRule("most_won_deals", 0)) == "X"  # 2 deals each; X has more revenue
    assert choose_owner([], OwnershipRule()) is None


def test_saved_mappings_are_audited_and_found_by_name(db, admin_user):
    mapping = parse_yaml("kind: reps\nfields: {rep_id: Id, name: Name, role: {value: hunter}}\n", kind="reps")
    save_mapping("Our HR file", mapping, admin_user)
    save_mapping("Our HR file", mapping, admin_user)  # the same again: nothing to record
    entries = AuditEntry.objects.filter(action="imports.mapping.save")
    assert entries.count() == 1 and entries.get().actor == admin_user
    assert load_mapping("Our HR file", kind="reps").fields["rep_id"].columns == ("Id",)
    with pytest.raises(MappingError, match="is a preset's name"):
        save_mapping("salesforce", mapping, admin_user)


def test_bookwise_headers_match_without_case_spaces_or_punctuation(db, tmp_path):
    report = run(tmp_path, "reps", "Rep ID, NAME ,Role,Manager-ID\nX1,Xa,hunter,X2\nX2,Xb,sales_manager,\n")
    assert report.ok, messages(report)
    assert Rep.objects.get(external_id="X1").manager.external_id == "X2"


def test_any_sheet_of_a_workbook_with_excel_serial_dates(db, tmp_path):
    from openpyxl import Workbook

    from bookwise.imports.services import import_file

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing here"])
    sheet = book.create_sheet("Team")
    sheet.append(["User", "Full name", "Hired (serial)"])
    sheet.append(["u1", "Ann Lee", 45351])
    book.save(tmp_path / "team.xlsx")
    mapping = parse_yaml(
        "kind: reps\nfields:\n  rep_id: User\n  name: Full name\n  role: {value: hunter}\n"
        "  hire_date: {column: Hired (serial), date: excel}\n",
        kind="reps",
    )
    report = import_file(kind="reps", path=tmp_path / "team.xlsx", mapping=mapping, sheet="Team")
    assert report.ok, messages(report)
    assert Rep.objects.get(external_id="u1").hire_date == date(2024, 2, 29)
    missing = import_file(kind="reps", path=tmp_path / "team.xlsx", mapping=mapping, sheet="Deals")
    assert messages(missing) == [f"{tmp_path / 'team.xlsx'}: the workbook has no sheet 'Deals' (Notes, Team)"]
