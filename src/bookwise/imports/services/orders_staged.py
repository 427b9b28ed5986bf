"""The PostgreSQL way of writing an orders import: every checked chunk is COPied into a
temporary staging table (no indexes, no foreign keys: cheap), and once the whole file is
read and checked, one set-based merge classifies, updates and inserts.

A large load (more new lines than the table holds, and at least `import_bulk_min_lines`)
follows PostgreSQL's advice for populating a database: the order lines' secondary indexes,
unique constraint and foreign keys are dropped, the rows inserted, the unique constraint
and foreign keys made again in the same transaction (a breach refuses the load), and the
plain indexes left to be built once it has committed (accounts.bulk_indexes): an index
built by sorting and a foreign key checked by one join cost a fraction of a million
row-by-row index insertions and trigger checks. The price is an exclusive lock on the
order lines, and on the accounts and reps (dropping a foreign key locks the table it points
to), until the import commits, which only an initial load or a load that more than doubles
the book pays."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection

from bookwise.accounts.bulk_indexes import indexes_deferred
from bookwise.accounts.models import OrderLine

STAGE = "bookwise_order_stage"
BULK_MIN_LINES = 100_000
# Every column but external_id, compared to tell a changed line from an unchanged one.
VALUE_COLUMNS = ("account_id", "order_date", "amount", "gross_profit", "product_line", "rep_id", "kind")
COLUMNS = ("external_id", *VALUE_COLUMNS)


def _qualified(alias: str, columns: tuple[str, ...]) -> str:
    return ", ".join(f"{alias}.{c}" for c in columns)


# A staged line `s` that differs from the stored line `o` with its order id (NULLs compare).
DIFFERS = f"({_qualified('o', VALUE_COLUMNS)}) IS DISTINCT FROM ({_qualified('s', VALUE_COLUMNS)})"


@dataclass
class MergeResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    touched: set[int] = field(default_factory=set)  # accounts whose lines changed
    earliest: date | None = None  # the earliest order date among them, old dates included


class StagedOrderWriter:
    def __init__(self) -> None:
        self.table = OrderLine._meta.db_table
        self.staged = 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGE} (LIKE {self.table} INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            cursor.execute(f"ALTER TABLE {STAGE} DROP COLUMN id")

    def write(self, csv: bytes, lines: int) -> None:
        """Stage `lines` lines given as CSV (COLUMNS, no header; NULL unquoted empty)."""
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT csv)") as copy,
        ):
            copy.write(csv)
        self.staged += lines

    def finish(self) -> MergeResult:
        """Classify the staged lines against the table, then update and insert."""
        with connection.cursor() as cursor:
            result = self._classify(cursor) if self.staged else MergeResult()
            if result.created and self._bulk(cursor, result.created):
                with indexes_deferred(self.table):
                    self._insert(cursor)
            elif result.created:
                self._insert(cursor)
            if result.updated:  # after the insert: the new lines equal their staged rows
                self._update(cursor)
            cursor.execute(f"DROP TABLE {STAGE}")
        return result

    def _classify(self, cursor: Any) -> MergeResult:
        cursor.execute(f"ANALYZE {STAGE}")
        cursor.execute(
            f"""SELECT s.account_id, o.account_id, o.id IS NULL, o.id IS NOT NULL AND {DIFFERS},
                       count(*), min(LEAST(s.order_date, o.order_date))
                FROM {STAGE} s LEFT JOIN {self.table} o ON o.external_id = s.external_id
                GROUP BY 1, 2, 3, 4"""  # noqa: S608
        )
        result = MergeResult()
        for new_account, old_account, is_new, changed, n, earliest in cursor.fetchall():
            if is_new:
                result.created += n
                result.touched.add(new_account)
            elif changed:
                result.updated += n
                result.touched.update((new_account, old_account))
            else:
                result.unchanged += n
                continue
            result.earliest = min(earliest, result.earliest or earliest)
        return result

    def _update(self, cursor: Any) -> None:
        sets = ", ".join(f"{c} = s.{c}" for c in VALUE_COLUMNS)
        cursor.execute(
            f"""UPDATE {self.table} o SET {sets} FROM {STAGE} s
                WHERE o.external_id = s.external_id AND {DIFFERS}"""  # noqa: S608
        )

    def _insert(self, cursor: Any) -> None:
        names = ", ".join(COLUMNS)
        cursor.execute(
            f"""INSERT INTO {self.table} ({names})
                SELECT {_qualified("s", COLUMNS)} FROM {STAGE} s
                WHERE NOT EXISTS (SELECT 1 FROM {self.table} o WHERE o.external_id = s.external_id)"""  # noqa: S608
        )

    def _bulk(self, cursor: Any, new_lines: int) -> bool:
        minimum = int(str(settings.BOOKWISE.get("import_bulk_min_lines", BULK_MIN_LINES)))
        if new_lines < minimum:
            return False
        cursor.execute(f"SELECT count(*) FROM {self.table}")  # noqa: S608
        return bulk_load_wanted(new_lines=new_lines, stored_lines=cursor.fetchone()[0], minimum=minimum)


def bulk_load_wanted(*, new_lines: int, stored_lines: int, minimum: int) -> bool:
    """Rebuild the indexes rather than maintain them when the load is big enough and more
    than doubles the table."""
    return new_lines >= minimum and new_lines > stored_lines
