"""Bulk loads without index upkeep: a table's secondary structures dropped while a block
writes every row, then made again from the catalogue's own definitions (an index built by
sorting costs a fraction of a million row-by-row insertions).

* `structures_rebuilt`: everything made again at the end of the block (the rollups' whole
  rebuilds).
* `indexes_deferred`: the order lines' bulk loads. What a rule depends on (on PostgreSQL the
  unique constraints and foreign keys; on SQLite the unique indexes, the inline UNIQUE
  constraints staying and the keys checked by the load itself) is made again at the end of
  the block, so a load that breaks a rule is refused and rolls back. The plain indexes, which
  only reads need, are recorded (`DeferredIndex`) and built after the load has committed by
  `build_deferred`: the queued rollups' rebuild, or any rollup's refresh, calls it before
  reading the lines.

On an error the transaction rolls back, and the drops and records with it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from .models import DeferredIndex

WORK_MEM = "SET LOCAL maintenance_work_mem = '256MB'"  # PostgreSQL: the index sorts in memory


@dataclass(frozen=True)
class Structure:
    name: str
    definition: str  # CREATE [UNIQUE] INDEX ...; for a constraint, what follows ADD CONSTRAINT
    constraint: bool  # PostgreSQL: a unique constraint or a foreign key
    plain: bool  # a non-unique index: no rule depends on it, only reads


@contextmanager
def structures_rebuilt(table: str) -> Iterator[None]:
    """`table`'s secondary indexes (on PostgreSQL also its unique constraints and foreign keys,
    not its primary key, which other tables reference) dropped for the block, made again
    after it."""
    with _dropped(table, defer_plain=False):
        yield


@contextmanager
def indexes_deferred(table: str) -> Iterator[None]:
    """As `structures_rebuilt`, but the plain indexes are left to `build_deferred`."""
    with _dropped(table, defer_plain=True):
        yield


def build_deferred() -> None:
    """Build the indexes bulk loads left (one statement when there are none). On PostgreSQL
    each table is locked against writes before the records are: an import that is writing
    the table and builds them itself (its own rollup refresh) goes first, rather than both
    waiting on each other."""
    tables = list(DeferredIndex.objects.values_list("table", flat=True).distinct())
    if not tables:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(WORK_MEM)
            for table in sorted(tables):
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN SHARE MODE")
        pending = list(DeferredIndex.objects.select_for_update().order_by("id"))
        for index in pending:
            cursor.execute(index.definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
        DeferredIndex.objects.filter(id__in=[index.id for index in pending]).delete()


def pending(table: str) -> list[str]:
    """The names of `table`'s indexes left to `build_deferred`."""
    return list(DeferredIndex.objects.filter(table=table).values_list("name", flat=True))


@contextmanager
def _dropped(table: str, *, defer_plain: bool) -> Iterator[None]:
    if connection.vendor == "postgresql":
        connection.check_constraints()  # fire pending deferred checks: ALTER TABLE refuses them
    found = _catalogue(table)
    with connection.cursor() as cursor:
        for structure in found:
            _drop(cursor, table, structure)
    yield
    deferred = [s for s in found if defer_plain and s.plain]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(WORK_MEM)
        for structure in sorted((s for s in found if s not in deferred), key=lambda s: s.constraint):
            _make(cursor, table, structure)
    DeferredIndex.objects.bulk_create(
        DeferredIndex(table=table, name=s.name, definition=s.definition) for s in deferred
    )


def _catalogue(table: str) -> list[Structure]:
    """The structures a bulk load drops, constraints before indexes."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL ORDER BY name",
                [table],
            )
            return [_index(name, sql) for name, sql in cursor.fetchall()]
        cursor.execute(
            """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
               WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname""",
            [table],
        )
        constraints = [Structure(name, sql, constraint=True, plain=False) for name, sql in cursor.fetchall()]
        cursor.execute(
            """SELECT i.relname, pg_get_indexdef(i.oid)
               FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
               WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
               ORDER BY i.relname""",
            [table],
        )
        return constraints + [_index(name, sql) for name, sql in cursor.fetchall()]


def _index(name: str, sql: str) -> Structure:
    return Structure(name, sql, constraint=False, plain=sql.upper().startswith("CREATE INDEX "))


def _drop(cursor: Any, table: str, structure: Structure) -> None:
    if structure.constraint:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{structure.name}"')
    else:
        cursor.execute(f'DROP INDEX "{structure.name}"')


def _make(cursor: Any, table: str, structure: Structure) -> None:
    if structure.constraint:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{structure.name}" {structure.definition}')
    else:
        cursor.execute(structure.definition)
