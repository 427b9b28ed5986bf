"""What every importer shares: the report, row parsing with error collection, id maps."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from bookwise.imports.parsers import RowError, Rows, Spec, parse_file_row

KEEP_ERRORS = 1000


class TooManyErrors(Exception):
    """The report holds `max_errors` errors: reading the rest of the file would not help."""


@dataclass
class ImportReport:
    """The outcome of one import: counts, and every error (the first KEEP_ERRORS kept). At
    `max_errors` errors (0 = no limit) the import stops (TooManyErrors)."""

    kind: str
    filename: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    max_errors: int = 0
    stopped: str = ""
    notes: list[str] = field(default_factory=list)  # what else the import did (owners derived...)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.error_count += 1
            if len(self.errors) < KEEP_ERRORS:
                self.errors.append(error)
        if self.max_errors and self.error_count >= self.max_errors and not self.stopped:
            self.stopped = (
                f"the import stopped after {self.max_errors} errors (the import_max_errors setting); "
                "correct these and import the file again"
            )
            raise TooManyErrors

    def error(self, line: int, column: str, message: str) -> None:
        self.add([RowError(line, column, message)])

    def summary(self) -> str:
        text = f"{self.kind}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.deleted:
            text += f", {self.deleted} deleted"
        return text + (" (dry run: nothing changed)" if self.dry_run else "")

    def error_lines(self, limit: int = 200) -> list[str]:
        shown = sorted(self.errors)[:limit]
        lines = [e.render(self.filename) for e in shown]
        if self.error_count > len(shown):
            lines.append(f"... and {self.error_count - len(shown)} more errors")
        if self.stopped:
            lines.append(f"{self.filename}: {self.stopped}")
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "errors": self.error_count,
        }


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]
    present: frozenset[str] = frozenset()  # the columns the file has (a column left out keeps what is stored)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def parsed_rows(spec: Spec, rows: Rows, report: ImportReport) -> Iterator[ParsedRow]:
    """The rows that parse cleanly; the others' errors go to the report."""
    for line, raw in rows:
        values, errors = parse_file_row(spec, line, raw)
        if errors:
            report.add(errors)
        else:
            yield ParsedRow(line, values, frozenset(k for k in raw if not k.startswith("\0")))


def id_map(model: type[models.Model]) -> dict[str, int]:
    """external id -> pk for every row of `model` (one query)."""
    return dict(model._default_manager.values_list("external_id", "pk"))  # type: ignore[arg-type]


def check_duplicates(rows: list[ParsedRow], key: str, report: ImportReport) -> None:
    """Report every row whose `key` already appeared on an earlier line of the file."""
    first: dict[str, int] = {}
    for row in rows:
        value = row[key]
        if value in first:
            report.error(row.line, key, f"{value!r} appears twice in the file (first on line {first[value]})")
        else:
            first[value] = row.line


def check_ref(
    row: ParsedRow,
    column: str,
    known: dict[str, Any] | set[str],
    report: ImportReport,
    *,
    what: str,
    in_file: dict[str, int] | None = None,
) -> bool:
    """True when the row's reference in `column` is empty, in the database or on any line
    of the file (`in_file`: a subsidiary may come before its parent, a rep before their
    manager); otherwise report it."""
    value = row[column]
    if not value or value in known or (in_file is not None and value in in_file):
        return True
    report.error(row.line, column, f"unknown {what} {value!r}")
    return False


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def find_cycles(parents: dict[str, str | None]) -> set[str]:
    """Keys that sit on a cycle of the `parents` mapping (child -> parent)."""
    from bookwise.people.services import check_no_manager_cycle

    return set(check_no_manager_cycle(parents))
