"""Import reps.csv: upsert by rep_id, managers by reference, territories created on use."""

from __future__ import annotations

from datetime import date
from typing import Any

from bookwise.core.services import audit_record
from bookwise.imports.parsers import SPECS, Rows
from bookwise.people.models import Region, Rep, Territory
from bookwise.people.services import rep_logins_sync, territory_get_or_create

from .common import ImportReport, ParsedRow, check_duplicates, check_ref, find_cycles, parsed_rows

FIELDS = ("name", "email", "role", "manager_id", "territory_id", "hire_date", "end_date", "capacity")


def import_reps(rows: Rows, report: ImportReport, *, today: date) -> None:
    parsed = list(parsed_rows(SPECS["reps"], rows, report))
    existing = {r.external_id: r for r in Rep.objects.select_related("manager", "territory__region")}
    _validate(parsed, existing, report)
    if report.ok:
        _write(parsed, existing, report)
        ids = [row["rep_id"] for row in parsed if row["email"]]
        rep_logins_sync(reps=Rep.objects.filter(external_id__in=ids).select_related("user"))


def _validate(parsed: list[ParsedRow], existing: dict[str, Rep], report: ImportReport) -> None:
    check_duplicates(parsed, "rep_id", report)
    in_file: dict[str, int] = {}
    for row in parsed:
        in_file.setdefault(row["rep_id"], row.line)
    managers: dict[str, str | None] = {
        ext: (r.manager.external_id if r.manager else None) for ext, r in existing.items()
    }
    for row in parsed:
        if check_ref(row, "manager_id", existing, report, what="rep", in_file=in_file):
            managers[row["rep_id"]] = row["manager_id"]
    cycles = find_cycles(managers)
    for row in parsed:
        if row["rep_id"] in cycles and row["manager_id"]:
            report.error(row.line, "manager_id", f"{row['manager_id']!r} as manager would form a cycle")
    _check_emails(parsed, existing, report)


def _check_emails(parsed: list[ParsedRow], existing: dict[str, Rep], report: ImportReport) -> None:
    ids = {row["rep_id"] for row in parsed}
    holders = {r.email.lower(): ext for ext, r in existing.items() if r.email and ext not in ids}
    for row in parsed:
        if not row["email"]:
            continue
        key = row["email"].lower()
        holder = holders.setdefault(key, row["rep_id"])
        if holder != row["rep_id"]:
            report.error(row.line, "email", f"{row['email']!r} is already the email of rep {holder!r}")


def _territory(row: ParsedRow, cache: dict[tuple[str, str], int | None]) -> int | None:
    key = (row["territory"] or "", row["region"] or "")
    if key not in cache:
        if row["territory"]:
            cache[key] = territory_get_or_create(name=row["territory"], region_name=row["region"]).pk
        else:
            if row["region"]:
                Region.objects.get_or_create(name=row["region"])
            cache[key] = None
    return cache[key]


def _values(row: ParsedRow, ids: dict[str, int], cache: dict[tuple[str, str], int | None]) -> dict[str, Any]:
    territory = _territory(row, cache)
    return {
        "name": row["name"],
        "email": row["email"] or None,
        "role": row["role"],
        "manager_id": ids[row["manager_id"]] if row["manager_id"] else None,
        "territory_id": territory,
        "hire_date": row["hire_date"],
        "end_date": row["end_date"],
        "capacity": row["capacity"],
    }


def managers_first(parsed: list[ParsedRow]) -> list[ParsedRow]:
    """The rows ordered so that a manager in the file comes before their reports (the file
    may name a manager further down; cycles were refused before)."""
    by_id = {row["rep_id"]: row for row in parsed}
    done: set[str] = set()
    ordered: list[ParsedRow] = []

    def place(row: ParsedRow) -> None:
        chain = []
        while row["rep_id"] not in done:
            chain.append(row)
            done.add(row["rep_id"])
            manager = by_id.get(row["manager_id"] or "")
            if manager is None:
                break
            row = manager
        ordered.extend(reversed(chain))

    for row in parsed:
        place(row)
    return ordered


def _write(parsed: list[ParsedRow], existing: dict[str, Rep], report: ImportReport) -> None:
    ids = {ext: r.pk for ext, r in existing.items()}
    regions = {ext: _region_name(r) for ext, r in existing.items()}
    _release_emails(parsed, existing)
    cache: dict[tuple[str, str], int | None] = {}
    for row in managers_first(parsed):
        values = _values(row, ids, cache)
        rep = existing.get(row["rep_id"])
        if rep is None:
            rep = Rep.objects.create(external_id=row["rep_id"], **values)
            ids[rep.external_id] = rep.pk
            report.created += 1
            continue
        changed = [f for f in FIELDS if getattr(rep, f) != values[f]]
        if changed:
            _audit(rep, {f: getattr(rep, f) for f in changed}, {f: values[f] for f in changed}, report)
            for name in changed:
                setattr(rep, name, values[name])
            rep.save(update_fields=[*changed, "updated_at"])
        if changed or (row["territory"] and row["region"] and regions[rep.external_id] != row["region"]):
            report.updated += 1
        else:
            report.unchanged += 1


def _audit(rep: Rep, before: dict[str, Any], after: dict[str, Any], report: ImportReport) -> None:
    """A rep's changed fields (capacity, manager, role...: workload settings), audited with
    the manager and territory by name."""
    names = {
        f"manager_id:{r.pk}": str(r) for r in Rep.objects.filter(pk__in=_ids(before, after, "manager_id"))
    }
    names |= {
        f"territory_id:{t.pk}": t.name
        for t in Territory.objects.filter(pk__in=_ids(before, after, "territory_id"))
    }

    def readable(values: dict[str, Any]) -> dict[str, Any]:
        return {
            k.removesuffix("_id"): names.get(f"{k}:{v}", v) if k.endswith("_id") else v
            for k, v in values.items()
        }

    data = {"file": report.filename, "before": readable(before), "after": readable(after)}
    audit_record(actor=None, action="people.rep.import", obj=rep, data=data)


def _ids(before: dict[str, Any], after: dict[str, Any], field: str) -> list[int]:
    return [v for v in (before.get(field), after.get(field)) if v is not None]


def _region_name(rep: Rep) -> str | None:
    if rep.territory and rep.territory.region:
        return rep.territory.region.name
    return None


def _release_emails(parsed: list[ParsedRow], existing: dict[str, Rep]) -> None:
    """Clear the emails that move between reps of the file, so the swap cannot collide."""
    moving = [
        row["rep_id"]
        for row in parsed
        if row["rep_id"] in existing and existing[row["rep_id"]].email != (row["email"] or None)
    ]
    if moving:
        Rep.objects.filter(external_id__in=moving).update(email=None)
        for ext in moving:
            existing[ext].email = None
