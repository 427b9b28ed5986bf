"""Import orders.csv: millions of lines, streamed in chunks, upserted by order_id.

Per chunk: parse and check. On PostgreSQL the checked chunk is COPied to a staging table
and merged set-based at the end (`orders_staged`); elsewhere the chunk's order ids are
looked up, the new lines inserted and the changed ones updated at once. All of it inside
the import's one transaction. Memory holds the account and rep id maps, the set of order
ids seen (to report duplicates) and one chunk."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection

from bookwise.accounts.models import Account, OrderLine
from bookwise.imports.fastpath import fast_order
from bookwise.imports.parsers import SPECS, Rows, parse_file_row
from bookwise.people.models import Rep
from bookwise.retention.services import revenue_rollup_refresh

from .common import ImportReport, chunks, id_map
from .orders_staged import COLUMNS, StagedOrderWriter

CHUNK = 5000
SQLITE_CACHE_MB = 128
Record = tuple[Any, ...]  # in COLUMNS order, as the database stores it (cents, adapted date)


@contextmanager
def sqlite_cache() -> Iterator[None]:
    """On SQLite, a larger page cache while the import runs: a million rows' index pages
    otherwise spill to the WAL again and again (2.4x the CPU, measured)."""
    if connection.vendor != "sqlite":
        yield
        return
    megabytes = int(str(settings.BOOKWISE.get("import_sqlite_cache_mb", SQLITE_CACHE_MB)))
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-1024 * megabytes}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _cents(value: Any) -> int | None:
    return None if value is None else int(value * 100)


class OrderImporter:
    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.accounts = id_map(Account)
        self.reps = id_map(Rep)
        self.seen: set[str] = set()
        self.touched: set[int] = set()  # accounts whose lines changed, for the revenue rollup
        self.table = OrderLine._meta.db_table
        self.adapt_date = connection.ops.adapt_datefield_value

    def run(self, rows: Rows) -> None:
        """Read and check the next chunk in a worker thread while this thread writes the
        current one: parsing (Python) and the database's work (COPY, indexes) overlap on
        two cores. Only this thread touches the database connection."""
        batches = chunks(rows, CHUNK)

        def parse_next() -> list[Record] | None:
            batch = next(batches, None)
            if batch is None:
                return None
            return [r for r in (self.record(line, raw) for line, raw in batch) if r is not None]

        staged = StagedOrderWriter() if connection.vendor == "postgresql" else None
        write = self.write if staged is None else staged.write
        with sqlite_cache(), ThreadPoolExecutor(max_workers=1) as reader:
            pending = reader.submit(parse_next)
            while (records := pending.result()) is not None:
                pending = reader.submit(parse_next)
                if self.report.ok and records:
                    write(records)
        if staged is not None and self.report.ok:
            merged = staged.finish()
            self.report.created, self.report.updated = merged.created, merged.updated
            self.report.unchanged = merged.unchanged
            self.touched = merged.touched

    def record(self, line: int, raw: dict[str, str]) -> Record | None:
        fields = fast_order(raw) or self.slow(line, raw)
        if fields is None:
            return None
        order_id, account_ext, day, cents, gp_cents, product_line, rep_ext, kind = fields
        account = self.accounts.get(account_ext)
        rep = self.reps.get(rep_ext) if rep_ext else None
        if account is None:
            self.report.error(line, "account_id", f"unknown account {account_ext!r}")
        if rep_ext and rep is None:
            self.report.error(line, "rep_id", f"unknown rep {rep_ext!r}")
        if order_id in self.seen:
            self.report.error(line, "order_id", f"{order_id!r} appears twice in the file")
            return None
        self.seen.add(order_id)
        if account is None or (rep_ext and rep is None):
            return None
        return (order_id, account, self.adapt_date(day), cents, gp_cents, product_line, rep, kind)

    def slow(self, line: int, raw: dict[str, str]) -> tuple[Any, ...] | None:
        """The general parser: the same values as `fast_order`, or the row's errors."""
        values, errors = parse_file_row(SPECS["orders"], line, raw)
        if errors:
            self.report.add(errors)
            return None
        v = values
        return (
            v["order_id"],
            v["account_id"],
            v["order_date"],
            _cents(v["amount"]),
            _cents(v["gross_profit"]),
            v["product_line"] or "",
            v["rep_id"] or "",
            v["kind"],
        )

    def existing(self, cursor: Any, ids: Sequence[str]) -> dict[str, tuple[int, Record]]:
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT id, {', '.join(COLUMNS)} FROM {self.table} WHERE external_id IN ({marks})",  # noqa: S608
            list(ids),
        )
        return {row[1]: (row[0], tuple(row[1:])) for row in cursor.fetchall()}

    def write(self, records: list[Record]) -> None:
        """Upsert one chunk at once (SQLite)."""
        with connection.cursor() as cursor:
            have = self.existing(cursor, [r[0] for r in records])
            new = [r for r in records if r[0] not in have]
            changed = [(r, have[r[0]][0]) for r in records if r[0] in have and _differs(r, have[r[0]][1])]
            self.insert(cursor, new)
            self.touched.update(r[1] for r in new)
            self.touched.update(r[1] for r, _ in changed)
            self.touched.update(have[r[0]][1][1] for r, _ in changed)
            if changed:
                sets = ", ".join(f"{c} = %s" for c in COLUMNS[1:])
                cursor.executemany(
                    f"UPDATE {self.table} SET {sets} WHERE id = %s",  # noqa: S608
                    [(*r[1:], pk) for r, pk in changed],
                )
        self.report.created += len(new)
        self.report.updated += len(changed)
        self.report.unchanged += len(records) - len(new) - len(changed)

    def insert(self, cursor: Any, new: list[Record]) -> None:
        if not new:
            return
        marks = ", ".join(["%s"] * len(COLUMNS))
        cursor.executemany(f"INSERT INTO {self.table} ({', '.join(COLUMNS)}) VALUES ({marks})", new)  # noqa: S608


def _differs(record: Record, stored: Record) -> bool:
    return any(_norm(a) != _norm(b) for a, b in zip(record, stored, strict=True))


def _norm(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def import_orders(rows: Rows, report: ImportReport, *, today: date) -> None:
    importer = OrderImporter(report)
    importer.run(rows)
    if report.ok and importer.touched:
        revenue_rollup_refresh(account_ids=importer.touched)
