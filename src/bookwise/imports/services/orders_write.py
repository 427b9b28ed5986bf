"""Writing the checked order lines, one frame (a block of the file) at a time, inside the
import's transaction:

* PostgreSQL, no order line stored yet: every line is new, so the frames are COPied straight
  into the order lines (a large load with the secondary indexes and keys dropped, the keys
  made again and the plain indexes left to be built after it has committed, as
  `orders_staged` does for a load that more than doubles the table: accounts.bulk_indexes);
* PostgreSQL otherwise: COPY into a staging table, one set-based merge at the end
  (`orders_staged`);
* SQLite: the frame's order ids looked up in large IN lists, the new lines inserted and the
  changed ones updated by `executemany` (no look-up at all while the table was empty, and a
  large load into an empty table with the plain indexes dropped and left to be built after
  it has committed).

Each writer counts created, updated and unchanged lines and collects the accounts whose
lines changed and the earliest order date among them, old dates of changed lines included
(for the rollup refresh: those accounts' months from that date on)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import date
from itertools import chain
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection

from bookwise.accounts.bulk_indexes import indexes_deferred
from bookwise.accounts.models import OrderLine

from .common import ImportReport
from .orders_staged import (
    BULK_MIN_LINES,
    COLUMNS,
    StagedOrderWriter,
    bulk_load_wanted,
)

LOOKUP = 5000  # order ids per IN list (SQLite)
ROWS_PER_INSERT = 100  # rows per INSERT statement (SQLite): 800 parameters
SQLITE_CACHE_MB = 128
TABLE = OrderLine._meta.db_table


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """The frame as COPY ... (FORMAT csv) reads it: empty text quoted, NULL empty."""
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False)
    return buffer.getvalue()


def _bulk_minimum() -> int:
    return int(str(settings.BOOKWISE.get("import_bulk_min_lines", BULK_MIN_LINES)))


def _table_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {TABLE} LIMIT 1")  # noqa: S608 - our own table
        return cursor.fetchone() is None


class Writer:
    """What every writer shares: a context for the writes, the counts, the touched accounts."""

    def __init__(self) -> None:
        self.touched: set[int] = set()
        self.earliest: str | None = None  # the earliest order date written or replaced (ISO)
        self.created = self.updated = self.unchanged = 0
        self.stack = ExitStack()

    def saw(self, days: Iterable[str | None]) -> None:
        """Note the order dates (ISO) of lines written or replaced."""
        first = min((d for d in days if d), default=None)
        if first is not None and (self.earliest is None or first < self.earliest):
            self.earliest = first

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stack.__exit__(*exc)  # type: ignore[arg-type]

    def write(self, frame: pl.DataFrame) -> None:
        raise NotImplementedError

    def finish(self, report: ImportReport) -> None:
        report.created, report.updated, report.unchanged = self.created, self.updated, self.unchanged


class CopyWriter(Writer):
    """PostgreSQL, into an empty table: COPY straight into the order lines."""

    def __init__(self, expected_lines: int | None) -> None:
        super().__init__()
        minimum = _bulk_minimum()
        if expected_lines and bulk_load_wanted(new_lines=expected_lines, stored_lines=0, minimum=minimum):
            self.stack.enter_context(indexes_deferred(TABLE))

    def write(self, frame: pl.DataFrame) -> None:
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT csv)") as copy,
        ):
            copy.write(csv_bytes(frame))
        self.created += frame.height
        self.touched.update(frame["account_id"].unique().to_list())
        self.saw([frame["order_date"].min()])  # type: ignore[list-item]


class StagedWriter(Writer):
    """PostgreSQL, into a table holding lines: staged, merged at the end."""

    def __init__(self) -> None:
        super().__init__()
        self.staged = StagedOrderWriter()

    def write(self, frame: pl.DataFrame) -> None:
        self.staged.write(csv_bytes(frame), frame.height)

    def finish(self, report: ImportReport) -> None:
        merged = self.staged.finish()
        self.created, self.updated, self.unchanged = merged.created, merged.updated, merged.unchanged
        self.touched = merged.touched
        self.saw([merged.earliest.isoformat() if merged.earliest else None])
        super().finish(report)


class SqliteWriter(Writer):
    """SQLite: inserts and updates by executemany, with a larger page cache meanwhile (a
    million rows' index pages otherwise spill to the WAL again and again)."""

    def __init__(self, expected_lines: int | None) -> None:
        super().__init__()
        self.empty = _table_is_empty()
        if (
            self.empty
            and expected_lines
            and bulk_load_wanted(new_lines=expected_lines, stored_lines=0, minimum=_bulk_minimum())
        ):
            self.stack.enter_context(indexes_deferred(TABLE))
        megabytes = int(str(settings.BOOKWISE.get("import_sqlite_cache_mb", SQLITE_CACHE_MB)))
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            before = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = {-1024 * megabytes}")
        self.stack.callback(self._pragma, f"PRAGMA cache_size = {before}")

    @staticmethod
    def _pragma(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    def finish(self, report: ImportReport) -> None:
        """The foreign keys of every line checked at once when they were not enforced line by
        line (orders.foreign_keys_for_load): a missing account or rep refuses the import."""
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            enforced = bool(cursor.fetchone()[0])
        if not enforced:
            connection.check_constraints(table_names=[TABLE])
        super().finish(report)

    def write(self, frame: pl.DataFrame) -> None:
        rows = frame.rows()
        with connection.cursor() as cursor:
            have = {} if self.empty else self._existing(cursor, frame["external_id"].to_list())
            new = [r for r in rows if r[0] not in have]
            changed = [(r, have[r[0]][0]) for r in rows if r[0] in have and r != have[r[0]][1]]
            if new:
                _insert(cursor, new)
            if changed:
                sets = ", ".join(f"{c} = %s" for c in COLUMNS[1:])
                cursor.executemany(
                    f"UPDATE {TABLE} SET {sets} WHERE id = %s",  # noqa: S608
                    [(*r[1:], pk) for r, pk in changed],
                )
        if len(new) == len(rows):  # every line new (a first load): the frame's columns at once
            self.touched.update(frame["account_id"].unique().to_list())
            self.saw([frame["order_date"].min()])  # type: ignore[list-item]
        else:
            self.touched.update(r[1] for r in new)
            self.saw(r[2] for r in new)
        self.touched.update(r[1] for r, _ in changed)
        self.touched.update(have[r[0]][1][1] for r, _ in changed)
        self.saw(d for r, _ in changed for d in (r[2], have[r[0]][1][2]))
        self.created += len(new)
        self.updated += len(changed)
        self.unchanged += len(rows) - len(new) - len(changed)

    def _existing(self, cursor: Any, ids: list[str]) -> dict[str, tuple[int, tuple[Any, ...]]]:
        found: dict[str, tuple[int, tuple[Any, ...]]] = {}
        for start in range(0, len(ids), LOOKUP):
            part = ids[start : start + LOOKUP]
            cursor.execute(
                f"SELECT id, {', '.join(COLUMNS)} FROM {TABLE} "  # noqa: S608
                f"WHERE external_id IN ({', '.join(['%s'] * len(part))})",
                part,
            )
            found.update((row[1], (row[0], _stored(row[1:]))) for row in cursor.fetchall())
        return found


def _insert(cursor: Any, rows: list[tuple[Any, ...]]) -> None:
    """SQLite: insert `rows` (COLUMNS) by statements of ROWS_PER_INSERT rows each (a quarter
    less CPU than one statement per row: fewer statement steps and resets)."""
    full = len(rows) - len(rows) % ROWS_PER_INSERT
    if full:
        batches = range(0, full, ROWS_PER_INSERT)
        params = (tuple(chain.from_iterable(rows[i : i + ROWS_PER_INSERT])) for i in batches)
        cursor.executemany(_insert_sql(ROWS_PER_INSERT), params)
    if full < len(rows):
        cursor.execute(_insert_sql(len(rows) - full), tuple(chain.from_iterable(rows[full:])))


def _insert_sql(rows: int) -> str:
    one = f"({', '.join(['%s'] * len(COLUMNS))})"
    return f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES {', '.join([one] * rows)}"  # noqa: S608


def _stored(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A stored line as the frame holds one (the date as ISO text)."""
    return tuple(v.isoformat() if isinstance(v, date) else v for v in row)


def open_writer(*, expected_lines: int | None) -> Writer:
    if connection.vendor != "postgresql":
        return SqliteWriter(expected_lines)
    if _table_is_empty():
        return CopyWriter(expected_lines)
    return StagedWriter()
