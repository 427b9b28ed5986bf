"""Import agreements.csv: upsert by agreement_id (docs/imports.md, docs/agreements.md); the
writes and their audit are the agreements app's (`agreements.importing`)."""

from __future__ import annotations

from datetime import date

from bookwise.accounts.models import Account
from bookwise.agreements.checks import problems
from bookwise.agreements.importing import agreement_accounts, upsert_agreements
from bookwise.imports.parsers import SPECS, Rows
from bookwise.people.models import Rep

from .common import ImportReport, ParsedRow, check_duplicates, check_ref, id_map, parsed_rows


def import_agreements(rows: Rows, report: ImportReport, *, today: date) -> None:
    parsed = list(parsed_rows(SPECS["agreements"], rows, report))
    accounts, reps, known = id_map(Account), id_map(Rep), agreement_accounts()
    check_duplicates(parsed, "agreement_id", report)
    earlier = {row["agreement_id"]: row.line for row in reversed(parsed)}
    for row in parsed:
        check_ref(row, "account_id", accounts, report, what="account")
        check_ref(row, "owner_id", reps, report, what="rep")
        if check_ref(row, "renews_id", known, report, what="agreement", in_file=earlier):
            _check_renewal(row, known, parsed, report)
        for column, message in problems(row.values, today):
            report.error(row.line, column, message)
    if report.ok:
        created, updated, unchanged = upsert_agreements([row.values for row in parsed], accounts, reps)
        report.created, report.updated, report.unchanged = created, updated, unchanged


def _check_renewal(
    row: ParsedRow, known: dict[str, str], parsed: list[ParsedRow], report: ImportReport
) -> None:
    """An agreement renews one of the same account (never itself)."""
    ref = row["renews_id"]
    if not ref:
        return
    if ref == row["agreement_id"]:
        report.error(row.line, "renews_id", "an agreement cannot renew itself")
        return
    in_file = {r["agreement_id"]: r["account_id"] for r in parsed}
    account = in_file.get(ref, known.get(ref))
    if account is not None and account != row["account_id"]:
        report.error(
            row.line, "renews_id", f"{ref} is an agreement of account {account}, not {row['account_id']}"
        )
