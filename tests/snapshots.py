"""The test database's whole content kept aside and put back (the one home of the tests'
database copies). A demo company takes seconds to build (more on PostgreSQL), and a dozen
modules read one: each test process builds it once per anchor date and copies it in.

SQLite in memory: SQLite's backup API, into another in-memory database and back.
PostgreSQL: every table copied into a schema of its own beside the test tables; put back in one
transaction by emptying the tables as the test backend flushes them (DELETE, not TRUNCATE:
bookwise.config.test_database) and INSERT ... SELECT (Django's foreign keys are deferred), then
the sequences are moved past the copied ids.

The callers run outside any transaction (a module's fixture under `django_db_blocker`, or a
test with `transactional_db`): what is put back is committed."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, cast

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

from bookwise.demo.builder import DemoSummary, build_demo

_numbers = itertools.count()


class Snapshot:
    """What the test database holds now; `restore()` makes it hold that again."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self._copy: sqlite3.Connection | None = None
        if connection.vendor == "sqlite":
            self._copy = sqlite3.connect(":memory:")
            cast(Any, connection.connection).backup(self._copy)
            return
        self._schema = f"snapshot_{next(_numbers)}"
        self._tables = connection.introspection.table_names()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{self._schema}"')
            for table in self._tables:
                cursor.execute(f'CREATE TABLE "{self._schema}"."{table}" AS TABLE "{table}"')

    def restore(self) -> None:
        connection.ensure_connection()
        if self._copy is not None:
            self._copy.backup(cast(Any, connection.connection))
        else:
            self._restore_tables()
        ContentType.objects.clear_cache()  # the ids are the copy's

    def _restore_tables(self) -> None:
        models = apps.get_models(include_auto_created=True)
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in connection.ops.sql_flush(no_style(), self._tables):  # the test backend's
                cursor.execute(statement)
            for table in self._tables:
                cursor.execute(f'INSERT INTO "{table}" SELECT * FROM "{self._schema}"."{table}"')
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


_demos: dict[tuple[date, float], tuple[DemoSummary, Snapshot]] = {}
_empty: list[Snapshot] = []


def demo_company(today: date, scale: float) -> DemoSummary:
    """The demo company anchored on `today` in the (empty) test database: built the first
    time this process asks, copied back in afterwards. `empty_again()` takes it out."""
    if not _empty:
        _empty.append(Snapshot())
    if (today, scale) in _demos:
        summary, snapshot = _demos[today, scale]
        snapshot.restore()
        return summary
    summary = build_demo(today=today, scale=scale)
    _demos[today, scale] = summary, Snapshot()
    return summary


def empty_again() -> None:
    """The test database as it was before the first demo company was put in."""
    _empty[0].restore()


@contextmanager
def demo_for_a_module(today: date, scale: float, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """A module fixture's demo company (committed; each test still runs in its own rolled-back
    transaction), taken out again when the module is done."""
    with django_db_blocker.unblock():
        summary = demo_company(today, scale)
    yield summary
    with django_db_blocker.unblock():
        empty_again()
