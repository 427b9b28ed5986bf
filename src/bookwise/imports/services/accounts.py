"""Import accounts.csv: upsert by account_id; owner_id / secondary_owner_id open or
replace the current assignment of that role (docs/imports.md, "Owners")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from bookwise.accounts.frozen import frozen_overlap, frozen_periods
from bookwise.accounts.models import Account, Ownership
from bookwise.accounts.services import check_created_date, check_potential
from bookwise.core.dates import Period
from bookwise.core.validation import InvalidValue
from bookwise.imports.parsers import SPECS, Rows
from bookwise.people.models import Rep
from bookwise.people.services import territory_get_or_create

from .common import (
    ImportReport,
    ParsedRow,
    check_duplicates,
    check_ref,
    chunks,
    find_cycles,
    id_map,
    parsed_rows,
)
from .ownership import ownership_audit, ownership_keys

FIELDS = (
    "name",
    "industry",
    "territory_id",
    "parent_id",
    "created_date",
    "potential_revenue",
    "status",
    "lost_date",
    "lost_reason",
)
CHUNK = 1000
COLUMN_OF = {"territory_id": "territory", "parent_id": "parent_account_id"}  # field -> the file's column
ROLE_COLUMNS = {"primary": "owner_id", "secondary": "secondary_owner_id"}


@dataclass(frozen=True)
class OwnerChange:
    role: str
    rep_id: int
    start: date
    ends: Ownership | None  # the open assignment that ends the day before `start`


@dataclass
class State:
    """What the database holds before the import, keyed by external ids."""

    accounts: dict[str, Account]
    reps: dict[str, int]
    open: dict[tuple[int, str], Ownership]  # (account pk, role) -> open assignment
    last_end: dict[tuple[int, str], date]  # (account pk, role) -> last day of closed history
    frozen: list[Period] = field(default_factory=list)  # approved commission periods

    @classmethod
    def load(cls) -> State:
        accounts = {a.external_id: a for a in Account.objects.select_related("parent")}
        open_: dict[tuple[int, str], Ownership] = {}
        last_end: dict[tuple[int, str], date] = {}
        for o in Ownership.objects.select_related("rep").order_by("start_date"):
            key = (o.account_id, o.role)
            if o.end_date is None:
                open_[key] = o
            else:
                last_end[key] = max(last_end.get(key, o.end_date), o.end_date)
        return cls(accounts, id_map(Rep), open_, last_end, frozen_periods())


def import_accounts(rows: Rows, report: ImportReport, *, today: date) -> None:
    parsed = list(parsed_rows(SPECS["accounts"], rows, report))
    state = State.load()
    changes = _validate(parsed, state, report, today)
    if report.ok:
        _write(parsed, state, changes, report)


def _validate(
    parsed: list[ParsedRow], state: State, report: ImportReport, today: date
) -> dict[int, list[OwnerChange]]:
    check_duplicates(parsed, "account_id", report)
    in_file: dict[str, int] = {}
    for row in parsed:
        in_file.setdefault(row["account_id"], row.line)
    _check_parents(parsed, state, in_file, report)
    _check_values(parsed, report, today)
    changes: dict[int, list[OwnerChange]] = {}
    for row in parsed:
        for role, column in ROLE_COLUMNS.items():
            if check_ref(row, column, state.reps, report, what="rep") and row[column]:
                change = _owner_change(row, role, state, today, report)
                if change is not None:
                    changes.setdefault(row.line, []).append(change)
    return changes


def _check_values(parsed: list[ParsedRow], report: ImportReport, today: date) -> None:
    """The account's own values by the rules of accounts.services (potential, created date)."""
    for row in parsed:
        try:
            check_potential(row["potential_revenue"])
        except InvalidValue as exc:
            report.error(row.line, "potential_revenue", _without_label(exc))
        try:
            check_created_date(row["created_date"], today)
        except InvalidValue as exc:
            report.error(row.line, "created_date", _without_label(exc))


def _without_label(exc: InvalidValue) -> str:
    """The rule's message without its label: the report names the file's column already."""
    return exc.message.removeprefix(f"{exc.extra['label']}: ")


def _check_parents(
    parsed: list[ParsedRow], state: State, in_file: dict[str, int], report: ImportReport
) -> None:
    parents: dict[str, str | None] = {
        ext: (a.parent.external_id if a.parent else None) for ext, a in state.accounts.items()
    }
    for row in parsed:
        if row["parent_account_id"] == row["account_id"]:
            report.error(row.line, "parent_account_id", "an account cannot be its own parent")
        elif check_ref(row, "parent_account_id", state.accounts, report, what="account", in_file=in_file):
            parents[row["account_id"]] = row["parent_account_id"]
    cycles = find_cycles(parents)
    for row in parsed:
        if row["account_id"] in cycles and row["parent_account_id"] != row["account_id"]:
            report.error(row.line, "parent_account_id", f"{row['parent_account_id']!r} would form a cycle")


def _owner_change(
    row: ParsedRow, role: str, state: State, today: date, report: ImportReport
) -> OwnerChange | None:
    """What the row's owner of `role` does to the history: nothing (same owner), opens an
    assignment, or replaces the open one from the import date."""
    column, rep_ext = ROLE_COLUMNS[role], row[ROLE_COLUMNS[role]]
    rep_id = state.reps[rep_ext]
    account = state.accounts.get(row["account_id"])
    current = state.open.get((account.pk, role)) if account else None
    last_end = state.last_end.get((account.pk, role)) if account else None
    if current is not None:
        if current.rep_id == rep_id:
            return None
        if current.start_date >= today:
            report.error(
                row.line,
                column,
                f"the current {role} owner {current.rep.external_id!r} starts on {current.start_date}; "
                f"a new owner can only start after that (use the ownership file)",
            )
            return None
        if period := frozen_overlap(today, None, state.frozen):
            report.error(
                row.line,
                column,
                f"the {role} owner would change from {today}, inside {period.label}, whose commission run "
                f"is approved and frozen; it can change from {period.end + timedelta(days=1)} on",
            )
            return None
        return OwnerChange(role, rep_id, today, current)
    start = today if last_end is not None else (row["created_date"] or today)
    if last_end is not None and last_end >= start:
        report.error(
            row.line, column, f"the {role} history runs until {last_end}; use the ownership file to change it"
        )
        return None
    return OwnerChange(role, rep_id, start, None)


def _territories(parsed: list[ParsedRow]) -> dict[str, int]:
    names = {row["territory"] for row in parsed if row["territory"]}
    return {name: territory_get_or_create(name=name).pk for name in sorted(names)}


def _values(row: ParsedRow, territories: dict[str, int], ids: dict[str, int]) -> dict[str, Any]:
    return {
        "name": row["name"],
        "industry": row["industry"] or "",
        "territory_id": territories[row["territory"]] if row["territory"] else None,
        "parent_id": ids.get(row["parent_account_id"]) if row["parent_account_id"] else None,
        "created_date": row["created_date"],
        "potential_revenue": row["potential_revenue"],
        "status": row["status"],
        "lost_date": row["lost_date"],
        "lost_reason": row["lost_reason"] or "",
    }


def _write(
    parsed: list[ParsedRow], state: State, changes: dict[int, list[OwnerChange]], report: ImportReport
) -> None:
    """New accounts in bulk (parents that are new too are set afterwards), changed ones
    saved one by one, then the ownership changes in bulk."""
    territories = _territories(parsed)
    ids = {ext: a.pk for ext, a in state.accounts.items()}
    new_rows = [row for row in parsed if row["account_id"] not in state.accounts]
    for batch in chunks(new_rows, CHUNK):
        created = Account.objects.bulk_create(
            Account(external_id=row["account_id"], **{**_values(row, territories, ids), "parent_id": None})
            for row in batch
        )
        ids.update((a.external_id, a.pk) for a in created)
    with_parent = [
        Account(pk=ids[row["account_id"]], parent_id=ids[row["parent_account_id"]])
        for row in new_rows
        if row["parent_account_id"]
    ]
    Account.objects.bulk_update(with_parent, ["parent_id"], batch_size=CHUNK)
    report.created += len(new_rows)
    for row in parsed:
        account = state.accounts.get(row["account_id"])
        if account is not None:
            changed = _update(account, _values(row, territories, ids), row.present)
            if changed or row.line in changes:
                report.updated += 1
            else:
                report.unchanged += 1
    owner_changes = [(ids[row["account_id"]], c) for row in parsed for c in changes.get(row.line, [])]
    _apply(owner_changes, report.filename)


def _update(account: Account, values: dict[str, Any], present: frozenset[str]) -> list[str]:
    """Save the fields that changed; a field whose column the file does not have (a
    mapping that does not map it) keeps what is stored."""
    fields = [f for f in FIELDS if COLUMN_OF.get(f, f) in present]
    changed = [f for f in fields if getattr(account, f) != values[f]]
    if changed:
        for name in changed:
            setattr(account, name, values[name])
        account.save(update_fields=[*changed, "updated_at"])
    return changed


def _apply(changes: list[tuple[int, OwnerChange]], source: str) -> None:
    pks = {pk for pk, _ in changes}
    before = ownership_keys(pks)
    ending = []
    for _, change in changes:
        if change.ends is not None:
            change.ends.end_date = change.start - timedelta(days=1)
            change.ends.updated_at = timezone.now()
            ending.append(change.ends)
    Ownership.objects.bulk_update(ending, ["end_date", "updated_at"], batch_size=CHUNK)
    Ownership.objects.bulk_create(
        (
            Ownership(account_id=pk, rep_id=c.rep_id, role=c.role, start_date=c.start, reason="import")
            for pk, c in changes
        ),
        batch_size=CHUNK,
    )
    after = ownership_keys(pks)
    ownership_audit([(pk, before.get(pk, []), after[pk]) for pk in sorted(pks)], source=source)
