"""Import one file of one kind, all-or-nothing: `import_file(kind=..., path=...)`."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext, suppress
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from bookwise.imports.mapping.apply import Applied
from bookwise.imports.mapping.model import Mapping
from bookwise.imports.parsers import KINDS, SPECS, FileError, HeaderError, RowError, Rows
from bookwise.imports.reading import MB, Limits, read_rows

from .accounts import import_accounts
from .activities import import_activities
from .agreements import import_agreements
from .common import ImportReport, TooManyErrors
from .contacts import import_contacts
from .mapped import finish_mapped, open_mapped
from .opportunities import import_opportunities
from .orders import foreign_keys_for_load, import_orders
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
    "agreements": import_agreements,
    "contacts": import_contacts,
}
UNREADABLE = (UnicodeDecodeError, csv.Error, OSError, zipfile.BadZipFile, KeyError, ValueError)

__all__ = ["IMPORTERS", "KINDS", "ImportReport", "import_file", "import_limits"]


def _setting(name: str, default: int) -> int:
    return int(str(settings.BOOKWISE.get(name, default)))


def import_limits() -> Limits:
    """The reading limits of settings.BOOKWISE (docs/imports.md)."""
    return Limits(
        rows=_setting("import_max_rows", Limits.rows),
        cell_chars=_setting("import_max_cell_chars", Limits.cell_chars),
        xlsx_uncompressed_bytes=MB
        * _setting("import_max_xlsx_uncompressed_mb", Limits.xlsx_uncompressed_bytes // MB),
    )


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
    mapping: Mapping | None = None,
    sheet: str | None = None,
) -> ImportReport:
    """Validate and import `path` as `kind` in one transaction, all or nothing (a dry run
    rolls back too); the report holds the counts and every error. With a `mapping` the
    file is any export the mapping describes (`imports.mapping`)."""
    report = ImportReport(
        kind=kind,
        filename=filename or str(path),
        dry_run=dry_run,
        max_errors=_setting("import_max_errors", 10_000),
    )
    try:
        rows, applied = _open(kind, path, mapping, sheet)
    except (HeaderError, FileError) as error:
        return _unread(report, error.errors)
    except UnicodeDecodeError as error:
        return _unread(report, [RowError(0, "-", f"the file is not UTF-8 text ({error.reason})")])
    except UNREADABLE as error:
        return _unread(report, [RowError(0, "-", f"cannot read the file ({error})")])
    rows, today = progress(rows) if progress is not None else rows, today or timezone.localdate()
    try:
        with _around_transaction(kind, applied), transaction.atomic():
            _run(kind, rows, report, today, **_source(kind, path, applied))
            if applied is not None:
                finish_mapped(applied, report, today=today)
            if not report.ok or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _open(
    kind: str, path: str | Path, mapping: Mapping | None, sheet: str | None
) -> tuple[Rows, Applied | None]:
    """The file's rows in Bookwise's format: read as they are, or through the mapping."""
    if mapping is None:
        return read_rows(path, SPECS[kind], import_limits()), None
    return open_mapped(path, mapping, import_limits(), sheet)


def _source(kind: str, path: str | Path, applied: Applied | None) -> dict[str, object]:
    """Without a mapping, the orders importer reads a plain CSV itself, as columns
    (services/orders_vector.py); mapped rows are not the file's columns."""
    if _plain_orders(kind, applied):
        return {"path": Path(path), "limits": import_limits()}
    return {}


def _plain_orders(kind: str, applied: Applied | None) -> bool:
    """An orders file in Bookwise's own format (no mapping)."""
    return applied is None and kind == "orders"


def _around_transaction(kind: str, applied: Applied | None) -> AbstractContextManager[object]:
    """What an importer sets before its transaction begins (orders: foreign_keys_for_load)."""
    if _plain_orders(kind, applied):
        return foreign_keys_for_load()
    return nullcontext()


def _unread(report: ImportReport, errors: list[RowError]) -> ImportReport:
    with suppress(TooManyErrors):
        report.add(errors)
    return report


def _run(kind: str, rows: Rows, report: ImportReport, today: date, **source: object) -> None:
    try:
        IMPORTERS[kind](rows, report, today=today, **source)
    except TooManyErrors:
        pass
    except FileError as error:  # the file cannot be read further: its error says why
        report.errors.append(error.errors[0])
        report.error_count += 1
    except UnicodeDecodeError as error:
        report.add([RowError(0, "-", f"the file is not UTF-8 text ({error.reason} at byte {error.start})")])
    except csv.Error as error:
        report.add([RowError(0, "-", f"the CSV is malformed ({error})")])
    except DatabaseError as error:
        report.add([RowError(0, "-", f"the database refused the import ({error})")])
