"""The Maven CRM sample imported as it is through the `maven-crm` preset, then again with
its headers upper-cased, reordered and one renamed, through a mapping file."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from bookwise.accounts.models import Account, Opportunity, OrderLine, Ownership
from bookwise.core.models import AuditEntry
from bookwise.imports.mapping.library import load_preset, to_yaml
from bookwise.imports.services import import_file
from bookwise.people.models import Rep, Territory
from tests.console import console_on_copy
from tests.maven import SAMPLE, needs_maven

pytestmark = needs_maven
FILES = {
    "reps": "sales_teams.csv",
    "accounts": "accounts.csv",
    "opportunities": "sales_pipeline.csv",
    "orders": "sales_pipeline.csv",
}
TODAY = date(2026, 1, 1)


def _import_all(folder: Path, mappings: dict[str, object]) -> dict[str, tuple[int, int, int]]:
    counts = {}
    for kind, name in FILES.items():
        report = import_file(
            kind=kind, path=folder / name, filename=name, mapping=mappings[kind], today=TODAY
        )
        assert report.ok, report.error_lines(10)
        counts[kind] = (report.created, report.updated, report.unchanged)
    return counts


def _presets() -> dict[str, object]:
    return {kind: load_preset("maven-crm", kind=kind) for kind in FILES}


def test_the_sample_imports_through_the_preset_and_again_changes_nothing(db):
    counts = _import_all(SAMPLE, _presets())
    assert counts["reps"] == (41, 0, 0)
    assert counts["accounts"] == (85, 0, 0)
    assert counts["opportunities"] == (7375, 0, 0)
    assert counts["orders"] == (4238, 0, 0)
    assert Rep.objects.filter(role="sales_manager").count() == 6
    assert set(Territory.objects.values_list("name", flat=True)) == {"Central", "East", "West"}
    assert Account.objects.filter(parent__isnull=False).count() == 15
    assert not Opportunity.objects.filter(name="GTXPro").exists()
    assert OrderLine.objects.aggregate(total=Sum("amount"))["total"] == Decimal("10005534.00")
    assert set(OrderLine.objects.values_list("product_line", flat=True)) == {"GTX", "MG", "GTK"}
    assert not OrderLine.objects.filter(gross_profit__isnull=False).exists()  # unknown, not 0
    assert Ownership.objects.filter(role="primary", end_date__isnull=True).count() == 85
    assert not Account.objects.filter(created_date__isnull=True).exists()
    assert not Account.objects.filter(territory__isnull=True).exists()
    audits = AuditEntry.objects.count()
    again = _import_all(SAMPLE, _presets())
    assert again == {
        "reps": (0, 0, 41),
        "accounts": (0, 0, 85),
        "opportunities": (0, 0, 7375),
        "orders": (0, 0, 4238),
    }
    assert AuditEntry.objects.count() == audits


def _reshape(source: Path, target: Path, renamed: dict[str, str]) -> None:
    """The file with headers upper-cased, columns in reverse order, `renamed` renamed."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = [renamed.get(h, h.upper()) for h in rows[0]]
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([list(reversed(header)), *(list(reversed(r)) for r in rows[1:])])


def test_upper_cased_reordered_renamed_headers_through_a_mapping_file(migrated_database, tmp_path):
    """As a user runs it: `bookwise import KIND FILE --mapping FILE.yaml`, in a subprocess."""
    for name in set(FILES.values()):
        _reshape(
            SAMPLE / name, tmp_path / name, {"sales_agent": "Sales Rep"} if name != "accounts.csv" else {}
        )
    for kind in FILES:
        text = to_yaml(load_preset("maven-crm", kind=kind)).replace("sales_agent", "Sales Rep")
        (tmp_path / f"{kind}.yaml").write_text(text, encoding="utf-8")
    cli = console_on_copy(migrated_database, tmp_path, suffix=("--skip-checks",))
    expected = {"reps": 41, "accounts": 85, "opportunities": 7375, "orders": 4238}
    for again in (False, True):
        for kind, name in FILES.items():
            done = cli("import", kind, name, "--mapping", f"{kind}.yaml")
            assert done.returncode == 0, done.stderr
            summary = done.stdout.splitlines()[0]
            n = expected[kind]
            assert summary == (
                f"{kind}: 0 created, 0 updated, {n} unchanged"
                if again
                else f"{kind}: {n} created, 0 updated, 0 unchanged"
            )
    assert "note: 85 accounts got an owner" not in done.stdout


def test_a_missing_column_names_the_file_and_the_column(db, tmp_path):
    _reshape(SAMPLE / "sales_teams.csv", tmp_path / "teams.csv", {"manager": "boss"})
    err = StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import", "reps", str(tmp_path / "teams.csv"), "--mapping", "maven-crm", stderr=err)
    assert err.getvalue().splitlines() == [
        f"{tmp_path / 'teams.csv'}:1: manager: missing column "
        "(the mapping reads it for manager_id, an extra row)"
    ]
    assert not Rep.objects.exists()


def test_convert_reads_upper_cased_headers_and_names_the_file(db, tmp_path):
    """The fixed converter still works (issue 15: upper-cased headers failed, naming the folder)."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("sales_teams.csv", "accounts.csv", "sales_pipeline.csv", "products.csv"):
        _reshape(SAMPLE / name, source / name, {})
    out = StringIO()
    call_command("convert", "maven-crm", str(source), str(tmp_path / "out"), stdout=out)
    assert "out/reps.csv: 41 reps" in out.getvalue()
    _reshape(SAMPLE / "accounts.csv", source / "accounts.csv", {"subsidiary_of": "parent"})
    with pytest.raises(CommandError, match=r"source/accounts.csv: missing column\(s\) subsidiary_of"):
        call_command("convert", "maven-crm", str(source), str(tmp_path / "out"), stdout=StringIO())


def test_the_raw_sample_without_a_mapping_points_to_the_preset(db):
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "accounts", str(SAMPLE / "accounts.csv"), stderr=err)
    assert (
        err.getvalue().splitlines()[-1]
        == "hint: the file looks like a maven-crm export: add --mapping maven-crm"
    )
