"""Import orders.csv (`orders_run`): imported only when an orders file is, so that polars and
numpy do not load with every command."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bookwise.imports.parsers import Rows
from bookwise.imports.reading import Limits

from .common import ImportReport


def import_orders(
    rows: Rows, report: ImportReport, *, today: date, path: Path | None = None, limits: Limits | None = None
) -> None:
    from .orders_run import run_import

    run_import(rows, report, path=path, limits=limits or Limits())
