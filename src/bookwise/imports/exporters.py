"""Export in the import format: `export_rows(kind, user=None) -> (header, rows)`.

Rows are strings (money `1234.56`, dates ISO, empty for missing), ordered so that a
reference always points to an earlier row (managers before their reports, parents before
subsidiaries): importing the export into the same database changes nothing. CSV cells that
start like a formula (`=`, `+`, `-`, `@`, tab, CR) are written with a quote in front, which
the import takes off (core.cells); XLSX cells are typed text, safe as they are."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from bookwise.accounts.models import Account, Activity, Opportunity, OrderLine, Ownership
from bookwise.accounts.selectors import visible_accounts
from bookwise.agreements.selectors import export_rows as agreement_rows
from bookwise.core.cells import csv_safe
from bookwise.core.money import format_money
from bookwise.imports.parsers import SPECS
from bookwise.people.models import Rep
from bookwise.people.selectors import scope_for

CHUNK = 5000
Row = list[str]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _depth_order(parents: dict[int, int | None]) -> dict[int, int]:
    """Depth of every node in a child -> parent forest (cycles cut), for sorting."""
    depth: dict[int, int] = {}
    for start in parents:
        chain: list[int] = []
        node: int | None = start
        while node is not None and node not in depth and node not in chain:
            chain.append(node)
            node = parents.get(node)
        base = depth.get(node, -1) if node is not None else -1
        for item in reversed(chain):
            base += 1
            depth[item] = base
    return depth


def _reps(user: Any) -> Iterator[Row]:
    qs = Rep.objects.select_related("manager", "territory__region")
    scope = scope_for(user) if user is not None else None
    if scope is not None and not scope.everything:
        qs = qs.filter(id__in=scope.rep_ids)
    reps = list(qs)
    depth = _depth_order({r.pk: r.manager_id for r in Rep.objects.only("id", "manager_id")})
    for r in sorted(reps, key=lambda r: (depth.get(r.pk, 0), r.external_id)):
        territory = r.territory
        region = territory.region if territory else None
        yield [
            r.external_id,
            r.name,
            r.email or "",
            r.role,
            r.manager.external_id if r.manager else "",
            territory.name if territory else "",
            region.name if region else "",
            _text(r.hire_date),
            _text(r.end_date),
            str(r.capacity),
        ]


def _accounts_qs(user: Any) -> QuerySet[Account]:
    return Account.objects.all() if user is None else visible_accounts(user=user)


def _open_owners(account_ids: Iterable[int] | None) -> dict[tuple[int, str], str]:
    qs = Ownership.objects.filter(end_date__isnull=True)
    if account_ids is not None:
        qs = qs.filter(account_id__in=list(account_ids))
    return {(a, role): ext for a, role, ext in qs.values_list("account_id", "role", "rep__external_id")}


def _accounts(user: Any) -> Iterator[Row]:
    accounts = list(_accounts_qs(user).select_related("territory", "parent"))
    owners = _open_owners(None if user is None else [a.pk for a in accounts])
    depth = _depth_order(dict(Account.objects.values_list("id", "parent_id")))
    for a in sorted(accounts, key=lambda a: (depth.get(a.pk, 0), a.external_id)):
        yield [
            a.external_id,
            a.name,
            a.industry,
            a.territory.name if a.territory else "",
            owners.get((a.pk, "primary"), ""),
            owners.get((a.pk, "secondary"), ""),
            a.parent.external_id if a.parent else "",
            _text(a.created_date),
            format_money(a.potential_revenue),
            a.status,
            _text(a.lost_date),
            a.lost_reason,
        ]


def _ownership(user: Any) -> Iterator[Row]:
    qs = Ownership.objects.filter(account__in=_accounts_qs(user)).order_by(
        "account__external_id", "role", "start_date"
    )
    fields = ("account__external_id", "rep__external_id", "role", "start_date", "end_date", "reason")
    for values in qs.values_list(*fields).iterator(chunk_size=CHUNK):
        yield [_text(v) for v in values]


def _orders(user: Any) -> Iterator[Row]:
    qs = OrderLine.objects.order_by("order_date", "external_id")
    if user is not None:
        qs = qs.filter(account__in=_accounts_qs(user))
    fields = (
        "external_id",
        "account__external_id",
        "order_date",
        "amount",
        "gross_profit",
        "product_line",
        "rep__external_id",
        "kind",
    )
    for oid, acc, day, amount, gp, line, rep, kind in qs.values_list(*fields).iterator(chunk_size=CHUNK):
        yield [oid, acc, day.isoformat(), format_money(amount), format_money(gp), line, rep or "", kind]


def _opportunities(user: Any) -> Iterator[Row]:
    qs = Opportunity.objects.filter(account__in=_accounts_qs(user)).order_by("external_id")
    fields = (
        "external_id",
        "account__external_id",
        "rep__external_id",
        "name",
        "stage",
        "amount",
        "expected_close_date",
        "closed_date",
    )
    for values in qs.values_list(*fields).iterator(chunk_size=CHUNK):
        row = [_text(v) for v in values]
        row[5] = format_money(values[5])
        yield row


def _activities(user: Any) -> Iterator[Row]:
    qs = Activity.objects.order_by("rep__external_id", "date", "id")
    scope = scope_for(user) if user is not None else None
    if scope is not None and not scope.everything:
        qs = qs.filter(rep_id__in=scope.rep_ids)
    fields = ("rep__external_id", "date", "hours", "kind", "account__external_id", "note")
    for values in qs.values_list(*fields).iterator(chunk_size=CHUNK):
        yield [_text(v) for v in values]


EXPORTERS: dict[str, Callable[[Any], Iterator[Row]]] = {
    "reps": _reps,
    "accounts": _accounts,
    "ownership": _ownership,
    "orders": _orders,
    "opportunities": _opportunities,
    "activities": _activities,
    "agreements": lambda user: iter(agreement_rows(user=user)),
}


def _plain_rows(kind: str, user: Any) -> tuple[list[str], Iterator[Row]]:
    if kind not in EXPORTERS:
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(EXPORTERS)})")
    return SPECS[kind].header, EXPORTERS[kind](user)


def export_rows(kind: str, *, user: Any = None) -> tuple[list[str], Iterator[list[str]]]:
    """Header and rows (strings) of `kind` in the import format, for a CSV: every cell that
    starts like a formula has a quote in front (core.cells.csv_safe; the import takes it
    off again). Only what `user` may see when a user is given (a rep: their own book; a
    manager: their team's)."""
    header, rows = _plain_rows(kind, user)
    return header, ([csv_safe(cell) for cell in row] for row in rows)


def write_file(kind: str, path: str | Path, *, user: Any = None) -> int:
    """Write `kind` to `path` (XLSX when it ends in .xlsx, else CSV); returns the row count."""
    if str(path).lower().endswith(".xlsx"):
        return _write_xlsx(Path(path), *_plain_rows(kind, user))
    header, rows = export_rows(kind, user=user)
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _write_xlsx(path: Path, header: list[str], rows: Iterator[Row]) -> int:
    """Every cell a string cell: a name like `=1+1` stays text, never becomes a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")

    def cells(values: list[str]) -> list[WriteOnlyCell]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value or None)
            if value:
                cell.data_type = "s"
            out.append(cell)
        return out

    sheet.append(cells(header))
    count = 0
    for row in rows:
        sheet.append(cells(row))
        count += 1
    workbook.save(path)
    return count
