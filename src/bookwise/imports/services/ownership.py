"""Import ownership.csv: for every account in the file, the file's rows replace that
account's whole ownership history (rows already there and in the file are kept). Every
account whose history changed gets an audit entry with the history before and after. A
change that reaches into a period whose commission run is approved is refused
(accounts.frozen)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from bookwise.accounts.frozen import frozen_overlap, frozen_periods
from bookwise.accounts.models import Account, Ownership
from bookwise.accounts.services import Interval, find_overlaps
from bookwise.core.dates import Period
from bookwise.core.services import audit_record_many
from bookwise.imports.parsers import SPECS, Rows
from bookwise.people.models import Rep

from .common import ImportReport, ParsedRow, check_ref, id_map, parsed_rows

Key = tuple[int, str, date, date | None, str]  # rep pk, role, start, end, reason
Change = tuple[int, list[Key], list[Key]]  # account pk, history before, after


def import_ownership(rows: Rows, report: ImportReport, *, today: date) -> None:
    parsed = list(parsed_rows(SPECS["ownership"], rows, report))
    accounts, reps = id_map(Account), id_map(Rep)
    by_account: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in parsed:
        ok = check_ref(row, "account_id", accounts, report, what="account")
        if check_ref(row, "rep_id", reps, report, what="rep") and ok:
            by_account[row["account_id"]].append(row)
    for items in by_account.values():
        _check_history(items, report)
    if report.ok:
        frozen = frozen_periods()
        changes = [
            _replace(accounts[ext], [_key(row, reps) for row in items], report, (frozen, items[0].line))
            for ext, items in by_account.items()
        ]
        ownership_audit([c for c in changes if c is not None], source=report.filename)


def _key(row: ParsedRow, reps: dict[str, int]) -> Key:
    return (reps[row["rep_id"]], row["role"], row["start_date"], row["end_date"], row["reason"])


def _check_history(items: list[ParsedRow], report: ImportReport) -> None:
    """Same-role intervals must not overlap; at most one open primary (lines named)."""
    lines: dict[Interval, list[int]] = {}
    intervals = []
    for row in items:
        interval = Interval(row["role"], row["start_date"], row["end_date"])
        lines.setdefault(interval, []).append(row.line)
        intervals.append(interval)
    reported: set[int] = set()
    open_primaries = [row.line for row in items if row["role"] == "primary" and row["end_date"] is None]
    for line in open_primaries[1:]:
        reported.add(line)
        report.error(
            line,
            "end_date",
            f"a second open primary assignment (the other open one is on line {open_primaries[0]})",
        )
    for earlier, later in find_overlaps(intervals):
        first, second = _pair_lines(lines, earlier, later)
        if second not in reported:
            reported.add(second)
            report.error(
                second,
                "start_date",
                f"this {later.role} assignment overlaps the one on line {first} "
                f"({earlier.start}..{earlier.end or 'open'})",
            )


def _pair_lines(lines: dict[Interval, list[int]], earlier: Interval, later: Interval) -> tuple[int, int]:
    if earlier == later:
        return lines[earlier][0], lines[earlier][1]
    first, second = lines[earlier][0], lines[later][0]
    return min(first, second), max(first, second)


def _replace(
    account_pk: int, wanted: list[Key], report: ImportReport, frozen: tuple[list[Period], int]
) -> Change | None:
    """Make the account's history the `wanted` rows; (pk, before, after) when it changed.
    Refused (an error on the account's first line) when the change reaches into a period
    whose commission run is approved (`frozen`: those periods, and the line)."""
    have = {
        o.pk: (o.rep_id, o.role, o.start_date, o.end_date, o.reason)
        for o in Ownership.objects.filter(account_id=account_pk)
    }
    if _frozen_change(list(have.values()), wanted, report, *frozen):
        return None
    keep = Counter(wanted) & Counter(have.values())
    remaining = Counter(keep)
    drop = []
    for pk, key in have.items():
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            drop.append(pk)
    add = list((Counter(wanted) - keep).elements())
    if drop:
        Ownership.objects.filter(pk__in=drop).delete()
    Ownership.objects.bulk_create(
        Ownership(account_id=account_pk, rep_id=r, role=role, start_date=s, end_date=e, reason=why)
        for r, role, s, e, why in add
    )
    report.unchanged += sum(keep.values())
    report.created += len(add)
    report.deleted += len(drop)
    if not drop and not add:
        return None
    return account_pk, list(have.values()), wanted


def _frozen_change(
    before: list[Key], after: list[Key], report: ImportReport, periods: list[Period], line: int
) -> bool:
    if not periods:
        return False
    for start, end in changed_ranges(before, after):
        period = frozen_overlap(start, end, periods)
        if period is not None:
            report.error(
                line,
                "account_id",
                f"the file changes who owned the account from {start} to {end or 'now'}, which reaches into "
                f"{period.label}, whose commission run is approved and frozen; history up to "
                f"{period.end} cannot change",
            )
            return True
    return False


def changed_ranges(before: list[Key], after: list[Key]) -> list[tuple[date, date | None]]:
    """The day ranges [start, end] (end None = open) on which the two histories name a
    different owner (rep and reason) for some role."""
    cuts = sorted(
        {k[2] for k in [*before, *after]} | {k[3] + timedelta(days=1) for k in [*before, *after] if k[3]}
    )
    ranges: list[tuple[date, date | None]] = []
    for index, day in enumerate(cuts):
        if _owners(before, day) != _owners(after, day):
            end = cuts[index + 1] - timedelta(days=1) if index + 1 < len(cuts) else None
            ranges.append((day, end))
    return ranges


def _owners(keys: list[Key], day: date) -> set[tuple[str, int, str]]:
    return {
        (role, rep, why)
        for rep, role, start, end, why in keys
        if start <= day and (end is None or day <= end)
    }


def ownership_keys(account_pks: Iterable[int]) -> dict[int, list[Key]]:
    """Each account's ownership history as keys (for an audit entry's before/after)."""
    found: dict[int, list[Key]] = defaultdict(list)
    pks = list(account_pks)
    for start in range(0, len(pks), 2000):
        rows = Ownership.objects.filter(account_id__in=pks[start : start + 2000]).values_list(
            "account_id", "rep_id", "role", "start_date", "end_date", "reason"
        )
        for account_pk, *key in rows:
            found[account_pk].append(tuple(key))  # type: ignore[arg-type]
    return found


def ownership_audit(changes: list[Change], *, source: str, action: str = "ownership.import") -> int:
    """One audit entry per account whose history changed, with the history before and after
    as people read it ("primary: Ben Becker (R12) 2024-01-01..open, transfer"); the count."""
    if not changes:
        return 0
    rep_pks = {key[0] for _, before, after in changes for key in [*before, *after]}
    names = {pk: str(rep) for pk, rep in Rep.objects.in_bulk(rep_pks).items()}
    accounts = Account.objects.in_bulk([pk for pk, _, _ in changes])
    items = [
        (accounts[pk], {"file": source, "before": _lines(before, names), "after": _lines(after, names)})
        for pk, before, after in changes
    ]
    return audit_record_many(actor=None, action=action, items=items)


def _lines(keys: list[Key], names: dict[int, str]) -> list[str]:
    ordered = sorted(keys, key=lambda k: (k[1], k[2], k[0]))
    return [
        f"{role}: {names.get(rep, rep)} {start}..{end or 'open'}" + (f", {why}" if why else "")
        for rep, role, start, end, why in ordered
    ]
