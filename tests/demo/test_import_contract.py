"""The demo's files pass the import contract (IMPORT_FORMATS.md) unchanged: export every
kind, wipe the book, import the files into the empty book, find the same book."""

from __future__ import annotations

from bookwise.accounts.models import Account, OrderLine, Ownership
from bookwise.demo.builder import wipe_book
from bookwise.imports.exporters import export_rows
from bookwise.imports.services import import_file
from bookwise.people.models import Rep

from .conftest import TODAY

KINDS = ("reps", "accounts", "ownership", "orders", "opportunities", "activities")


def _snapshot() -> tuple:
    return (
        sorted(Account.objects.values_list("external_id", "status", "lost_reason", "potential_revenue")),
        sorted(
            Ownership.objects.values_list("account__external_id", "rep__external_id", "role", "start_date")
        ),
        OrderLine.objects.count(),
        sorted(Rep.objects.values_list("external_id", "manager__external_id", "end_date")),
    )


def test_exported_demo_imports_cleanly_into_an_empty_book(demo, tmp_path):
    before = _snapshot()
    for kind in KINDS:
        header, rows = export_rows(kind)
        lines = [",".join(header)] + [",".join(_quote(v) for v in row) for row in rows]
        (tmp_path / f"{kind}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    wipe_book()
    for kind in KINDS:
        report = import_file(kind=kind, path=tmp_path / f"{kind}.csv", today=TODAY)
        assert report.ok, (kind, report.errors[:5])
    assert _snapshot() == before


def _quote(value: str) -> str:
    return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\n') else value
