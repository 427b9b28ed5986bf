"""Import opportunities.csv: upsert by opportunity_id (bulk, in chunks)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from bookwise.accounts.models import Account, Opportunity
from bookwise.imports.parsers import SPECS, Rows
from bookwise.people.models import Rep

from .common import ImportReport, ParsedRow, check_duplicates, check_ref, chunks, id_map, parsed_rows

FIELDS = ("account_id", "rep_id", "name", "stage", "amount", "expected_close_date", "closed_date")
CHUNK = 2000


def import_opportunities(rows: Rows, report: ImportReport, *, today: date) -> None:
    parsed = list(parsed_rows(SPECS["opportunities"], rows, report))
    accounts, reps = id_map(Account), id_map(Rep)
    check_duplicates(parsed, "opportunity_id", report)
    for row in parsed:
        check_ref(row, "account_id", accounts, report, what="account")
        check_ref(row, "rep_id", reps, report, what="rep")
    if not report.ok:
        return
    for batch in chunks(parsed, CHUNK):
        _write(batch, accounts, reps, report)


def _values(row: ParsedRow, accounts: dict[str, int], reps: dict[str, int]) -> dict[str, Any]:
    return {
        "account_id": accounts[row["account_id"]],
        "rep_id": reps[row["rep_id"]] if row["rep_id"] else None,
        "name": row["name"] or "",
        "stage": row["stage"],
        "amount": row["amount"],
        "expected_close_date": row["expected_close_date"],
        "closed_date": row["closed_date"],
    }


def _write(
    batch: list[ParsedRow], accounts: dict[str, int], reps: dict[str, int], report: ImportReport
) -> None:
    have = Opportunity.objects.in_bulk([row["opportunity_id"] for row in batch], field_name="external_id")
    new, changed = [], []
    now = timezone.now()
    for row in batch:
        values = _values(row, accounts, reps)
        current = have.get(row["opportunity_id"])
        if current is None:
            new.append(Opportunity(external_id=row["opportunity_id"], **values))
        elif any(getattr(current, f) != values[f] for f in FIELDS):
            for name, value in values.items():
                setattr(current, name, value)
            current.updated_at = now
            changed.append(current)
    Opportunity.objects.bulk_create(new)
    if changed:
        Opportunity.objects.bulk_update(changed, [*FIELDS, "updated_at"])
    report.created += len(new)
    report.updated += len(changed)
    report.unchanged += len(batch) - len(new) - len(changed)
