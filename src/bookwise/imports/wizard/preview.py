"""The preview step: the first rows of the file as Bookwise will read them (the mapping
applied, each with its source line and any value the mapping could not read), and the
dry run of the whole file (every error, with file, line, column and value)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from bookwise.imports.mapping.apply import apply
from bookwise.imports.mapping.model import Mapping
from bookwise.imports.parsers import SPECS, FileError, HeaderError, Rows, parse_file_row
from bookwise.imports.reading import read_table
from bookwise.imports.services import ImportReport, import_file, import_limits

PREVIEW_ROWS = 20


@dataclass
class PreviewRow:
    line: int
    values: list[str]
    problems: list[str] = field(default_factory=list)  # "Column: message" of unreadable values


@dataclass
class Preview:
    columns: list[str]  # the Bookwise fields the mapping fills, in the contract's order
    rows: list[PreviewRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the file cannot be read this way


def first_rows(entry: dict[str, Any], mapping: Mapping, limit: int = PREVIEW_ROWS) -> Preview:
    """The first `limit` rows of the upload through `mapping`, as Bookwise reads them (the
    contract's parsers), each with what is wrong with it on its own (a reference to an
    unknown account shows in the dry run's errors)."""
    columns = [name for name in SPECS[mapping.kind].columns if name in mapping.fields]
    found = Preview(columns)
    try:
        header, rows = read_table(entry["path"], import_limits(), entry["sheet"] or None)
        applied = apply(mapping, header, islice(rows, limit))
        for line, row in applied.rows:
            values, errors = parse_file_row(SPECS[mapping.kind], line, row)
            problems = [f"{e.column}: {e.message}" for e in applied.relabel(errors)]
            found.rows.append(PreviewRow(line, [_shown(values.get(name)) for name in columns], problems))
    except (HeaderError, FileError) as error:
        found.problems = [e.render(entry["name"]) for e in error.errors]
    return found


def _shown(value: Any) -> str:
    """A value as Bookwise holds it: money with two decimals, ISO dates, empty for none."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value.isoformat() if isinstance(value, date) else str(value)


def dry_run(entry: dict[str, Any], mapping: Mapping) -> tuple[ImportReport, int]:
    """The whole file checked and imported in a transaction rolled back: the report (its
    counts are what the import would do) and the number of rows Bookwise read."""
    counted = [0]

    def count(rows: Rows) -> Iterator[Any]:
        for item in rows:
            counted[0] += 1
            yield item

    report = import_file(
        kind=entry["kind"],
        path=Path(entry["path"]),
        filename=entry["name"],
        dry_run=True,
        mapping=mapping,
        sheet=entry["sheet"] or None,
        progress=count,
    )
    return report, counted[0]
