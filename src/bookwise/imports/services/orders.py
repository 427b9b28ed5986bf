"""Import orders.csv (`orders_run`): imported only when an orders file is, so that polars and
numpy do not load with every command."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import date
from pathlib import Path

from django.db import connection

from bookwise.accounts.models import OrderLine
from bookwise.imports.parsers import Rows
from bookwise.imports.reading import Limits

from .common import ImportReport


def import_orders(
    rows: Rows, report: ImportReport, *, today: date, path: Path | None = None, limits: Limits | None = None
) -> None:
    from .orders_run import run_import

    run_import(rows, report, path=path, limits=limits or Limits())


def foreign_keys_for_load() -> AbstractContextManager[object]:
    """Around an orders import's transaction: on SQLite, when the book holds no order line
    yet (a first load), the foreign keys are not enforced line by line (SQLite changes that
    only outside a transaction); the writer checks every line's keys at once before the
    commit instead (orders_write.SqliteWriter.finish), for half the CPU. Otherwise, and
    inside a caller's transaction, nothing changes."""
    if connection.vendor != "sqlite" or connection.in_atomic_block or OrderLine.objects.exists():
        return nullcontext()
    return connection.constraint_checks_disabled()
