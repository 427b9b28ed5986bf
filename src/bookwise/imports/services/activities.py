"""Import activities.csv (time study). Entries have no id, so the idempotent reading is:
for every (rep_id, date) in the file, the file's rows replace that rep's entries of that
day; entries already there and in the file are kept, the others deleted."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from bookwise.accounts.models import Account, Activity
from bookwise.imports.parsers import SPECS, Rows
from bookwise.people.models import Rep

from .common import ImportReport, ParsedRow, check_ref, chunks, id_map, parsed_rows

Entry = tuple[Decimal, str, int | None, str]  # hours, kind, account pk, note
DAYS_PER_QUERY = 500


def import_activities(rows: Rows, report: ImportReport, *, today: date) -> None:
    parsed = list(parsed_rows(SPECS["activities"], rows, report))
    accounts, reps = id_map(Account), id_map(Rep)
    wanted: dict[tuple[int, date], list[Entry]] = defaultdict(list)
    for row in parsed:
        ok = check_ref(row, "account_id", accounts, report, what="account")
        if check_ref(row, "rep_id", reps, report, what="rep") and ok:
            wanted[(reps[row["rep_id"]], row["date"])].append(_entry(row, accounts))
    if not report.ok:
        return
    for days in chunks(sorted(wanted), DAYS_PER_QUERY):
        _replace_days({day: wanted[day] for day in days}, report)


def _entry(row: ParsedRow, accounts: dict[str, int]) -> Entry:
    account = accounts[row["account_id"]] if row["account_id"] else None
    return (row["hours"], row["kind"], account, row["note"] or "")


def _replace_days(wanted: dict[tuple[int, date], list[Entry]], report: ImportReport) -> None:
    rep_ids = {rep for rep, _ in wanted}
    dates = {day for _, day in wanted}
    have: dict[tuple[int, date], dict[int, Entry]] = defaultdict(dict)
    for a in Activity.objects.filter(rep_id__in=rep_ids, date__in=dates):
        if (a.rep_id, a.date) in wanted:
            have[(a.rep_id, a.date)][a.pk] = (a.hours, a.kind, a.account_id, a.note)
    drop: list[int] = []
    add: list[Activity] = []
    for (rep, day), entries in wanted.items():
        current = have.get((rep, day), {})
        keep = Counter(entries) & Counter(current.values())
        remaining = Counter(keep)
        for pk, entry in current.items():
            if remaining[entry] > 0:
                remaining[entry] -= 1
            else:
                drop.append(pk)
        for hours, kind, account, note in (Counter(entries) - keep).elements():
            add.append(Activity(rep_id=rep, date=day, hours=hours, kind=kind, account_id=account, note=note))
        report.unchanged += sum(keep.values())
    Activity.objects.filter(pk__in=drop).delete()
    Activity.objects.bulk_create(add)
    report.created += len(add)
    report.deleted += len(drop)
