"""An import through a column mapping: the source file read as it is (`reading.read_table`),
its rows mapped to Bookwise's format (`mapping.apply`) and fed to the kind's importer, then
the errors put back in the source's words and the mapping's ownership rule applied."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bookwise.imports.mapping.apply import Applied, apply
from bookwise.imports.mapping.model import Mapping
from bookwise.imports.parsers import Rows
from bookwise.imports.reading import Limits, read_table

from .common import ImportReport
from .derived_owners import derive_owners


def open_mapped(
    path: str | Path, mapping: Mapping, limits: Limits, sheet: str | None = None
) -> tuple[Rows, Applied]:
    """The mapped rows of the file (HeaderError when it lacks a column the mapping reads)."""
    header, rows = read_table(path, limits, sheet)
    applied = apply(mapping, header, rows)
    return applied.rows, applied


def finish_mapped(applied: Applied, report: ImportReport, *, today: date) -> None:
    """After the importer: errors named by source column; rows left out noted; owners
    derived by the mapping's rule when the file imported cleanly."""
    kept = applied.relabel(report.errors)
    report.error_count -= len(report.errors) - len(kept)
    report.errors = kept
    report.notes.extend(applied.notes())
    if report.ok and applied.mapping.ownership is not None and applied.account_ids:
        derive_owners(applied.mapping.ownership, applied.account_ids, report, today=today)
