"""Import one file of one kind, all-or-nothing: `import_file(kind=..., path=...)`."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from bookwise.imports.parsers import KINDS, SPECS, HeaderError, RowError, Rows, read_rows

from .accounts import import_accounts
from .activities import import_activities
from .common import ImportReport
from .opportunities import import_opportunities
from .orders import import_orders
from .ownership import import_ownership
from .reps import import_reps

Importer = Callable[..., None]
IMPORTERS: dict[str, Importer] = {
    "reps": import_reps,
    "accounts": import_accounts,
    "ownership": import_ownership,
    "orders": import_orders,
    "opportunities": import_opportunities,
    "activities": import_activities,
}
UNREADABLE = (UnicodeDecodeError, csv.Error, OSError, zipfile.BadZipFile, KeyError, ValueError)

__all__ = ["IMPORTERS", "KINDS", "ImportReport", "import_file"]


class _Rollback(Exception):
    pass


def import_file(
    *,
    kind: str,
    path: str | Path,
    filename: str | None = None,
    dry_run: bool = False,
    today: date | None = None,
    progress: Callable[[Rows], Rows] | None = None,
) -> ImportReport:
    """Validate and import `path` as `kind` in one transaction. With errors (or a dry run)
    everything is rolled back; the report holds the counts and every error."""
    report = ImportReport(kind=kind, filename=filename or str(path), dry_run=dry_run)
    try:
        rows = read_rows(path, SPECS[kind])
    except HeaderError as error:
        report.add(error.errors)
        return report
    except UnicodeDecodeError as error:
        report.add([RowError(0, "-", f"the file is not UTF-8 text ({error.reason} at byte {error.start})")])
        return report
    except UNREADABLE as error:
        report.add([RowError(0, "-", f"cannot read the file ({error})")])
        return report
    if progress is not None:
        rows = progress(rows)
    try:
        with transaction.atomic():
            _run(kind, rows, report, today or timezone.localdate())
            if not report.ok or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _run(kind: str, rows: Rows, report: ImportReport, today: date) -> None:
    try:
        IMPORTERS[kind](rows, report, today=today)
    except UnicodeDecodeError as error:
        report.add([RowError(0, "-", f"the file is not UTF-8 text ({error.reason} at byte {error.start})")])
    except csv.Error as error:
        report.add([RowError(0, "-", f"the CSV is malformed ({error})")])
    except DatabaseError as error:
        report.add([RowError(0, "-", f"the database refused the import ({error})")])
