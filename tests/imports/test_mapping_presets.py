"""Each preset against a file shaped like that product's export: it imports with no hand
edit (and again changes nothing); a broken one (a required column missing, a bad date, an
unknown stage) is refused with file, line, column and value, and nothing changes."""

from __future__ import annotations

from datetime import date

import pytest

from bookwise.accounts.models import Account, Opportunity, OrderLine, Ownership
from bookwise.core.models import AuditEntry
from bookwise.imports.mapping.library import load_preset, preset_kinds
from bookwise.imports.services import import_file
from bookwise.people.models import Rep

from .preset_exports import EXPORTS, SPOIL, write_table

TODAY = date(2026, 3, 15)
# the product's stage of the open "Globex roll-out" deal, in Bookwise's words
OPEN_STAGE = {"salesforce": "prospecting", "hubspot": "engaging", "dynamics365": "prospecting"} | {
    "pipedrive": "prospecting",
    "odoo": "engaging",
}
ORDER = ("reps", "accounts", "opportunities", "orders")


def _import(tmp_path, preset: str, kind: str, table, name: str | None = None):
    path = write_table(tmp_path / (name or f"{preset}-{kind}.csv"), table)
    mapping = load_preset(preset, kind=kind)
    return import_file(kind=kind, path=path, filename=path.name, mapping=mapping, today=TODAY)


def _load(tmp_path, preset: str) -> dict[str, tuple[int, int, int]]:
    counts = {}
    for kind in ORDER:
        if kind in EXPORTS[preset]:
            report = _import(tmp_path, preset, kind, EXPORTS[preset][kind])
            assert report.ok, report.error_lines()
            counts[kind] = (report.created, report.updated, report.unchanged)
    return counts


def _state() -> tuple[int, ...]:
    models = (Rep, Account, Ownership, Opportunity, OrderLine, AuditEntry)
    return tuple(m.objects.count() for m in models)


@pytest.mark.parametrize("preset", sorted(EXPORTS))
def test_an_export_imports_with_no_hand_edit(db, tmp_path, preset):
    assert set(EXPORTS[preset]) == set(preset_kinds(preset))
    counts = _load(tmp_path, preset)
    assert counts["reps"] == (3, 0, 0) and counts["accounts"] == (3, 0, 0)
    ann = Rep.objects.get(name="Ann Lee")
    assert ann.email == "ann@example.com"
    acme_east = Account.objects.get(name="Acme East")
    if preset != "pipedrive":  # Pipedrive's organizations have no parent
        assert acme_east.parent.name == "Acme"  # the subsidiary came first in the file
    assert acme_east.ownerships.get(end_date__isnull=True).rep == ann
    if "opportunities" in counts:
        assert counts["opportunities"] == (4, 0, 0)
        stages = dict(Opportunity.objects.values_list("name", "stage"))
        assert stages == {
            "Acme renewal": "won",
            "Globex pilot": "lost",
            "Globex roll-out": OPEN_STAGE[preset],
            "East expansion": "proposal",
        }
        won = Opportunity.objects.get(name="Acme renewal")
        assert (won.amount, won.closed_date, won.rep) == (12500, date(2025, 2, 28), ann)
    if "orders" in counts:
        assert counts["orders"] == (2, 0, 0)
        assert sum(line.amount for line in OrderLine.objects.all()) == 12500
        assert OrderLine.objects.filter(gross_profit__isnull=True).count() >= 1  # unknown, not 0
    before = _state()
    again = _load(tmp_path, preset)
    assert all(created == updated == 0 for created, updated, _ in again.values()), again
    assert _state() == before


def test_salesforce_manager_and_roles(db, tmp_path):
    _load(tmp_path, "salesforce")
    ann = Rep.objects.get(external_id="ann-lee")
    assert (ann.role, ann.manager.name, ann.manager.role) == ("account_manager", "Max Boss", "sales_manager")
    assert Rep.objects.get(external_id="bo-hunt").role == "hunter"
    assert Account.objects.get(external_id="001A1").created_date == date(2022, 1, 15)


def test_odoo_keeps_companies_and_confirmed_lines_only(db, tmp_path):
    reps = _import(tmp_path, "odoo", "reps", EXPORTS["odoo"]["reps"])
    accounts = _import(tmp_path, "odoo", "accounts", EXPORTS["odoo"]["accounts"])
    assert reps.ok and accounts.ok
    assert accounts.notes == ["1 rows left out by the mapping's `keep` rules"]
    _import(tmp_path, "odoo", "opportunities", EXPORTS["odoo"]["opportunities"])
    orders = _import(tmp_path, "odoo", "orders", EXPORTS["odoo"]["orders"])
    assert orders.ok and orders.created == 2
    gross = dict(OrderLine.objects.values_list("external_id", "gross_profit"))
    assert gross == {"__export__.sale_order_line_1_e1": 2500, "__export__.sale_order_line_2_e2": None}


def _spoiled(preset: str) -> tuple[list[str], list[list[str]]]:
    header, rows = EXPORTS[preset]["opportunities"]
    date_col, stage_col = (header.index(c) for c in SPOIL[preset])
    rows = [list(r) for r in rows]
    rows[0][date_col] = "31/31/2025"
    rows[2][stage_col] = "Stalled"
    return header, rows


@pytest.mark.parametrize("preset", sorted(EXPORTS))
def test_a_broken_export_is_refused_naming_file_line_column_and_value(db, tmp_path, preset):
    for kind in ("reps", "accounts"):
        assert _import(tmp_path, preset, kind, EXPORTS[preset][kind]).ok
    before = _state()
    report = _import(tmp_path, preset, "opportunities", _spoiled(preset), name="deals.csv")
    assert not report.ok
    date_col, stage_col = SPOIL[preset]
    lines = report.error_lines()
    assert any(line.startswith(f"deals.csv:2: {date_col}: '31/31/2025' is not a date") for line in lines), (
        lines
    )
    assert any(
        line.startswith(f"deals.csv:4: {stage_col}: 'Stalled' is not a value the mapping knows")
        for line in lines
    ), lines
    assert len(lines) == 2, lines  # no echo of the same fault as "required"
    assert _state() == before
    header, rows = EXPORTS[preset]["opportunities"]
    required = load_preset(preset, kind="opportunities").fields["opportunity_id"].columns[0]
    keep = [i for i, h in enumerate(header) if h != required]
    missing = ([header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    report = _import(tmp_path, preset, "opportunities", missing, name="deals.csv")
    assert report.error_lines() == [
        f"deals.csv:1: {required}: missing column (the mapping reads it for opportunity_id)"
    ]
    assert _state() == before
