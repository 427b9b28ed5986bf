"""bookwise import KIND FILE [--mapping NAME_OR_FILE] [--sheet NAME] [--dry-run]: load a
CSV/XLSX file in the import format, or any export a column mapping describes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bookwise.imports.mapping.model import Mapping, MappingError
from bookwise.imports.mapping.store import load_mapping
from bookwise.imports.mapping.suggest import suggest
from bookwise.imports.parsers import KINDS, FileError, HeaderError, Rows
from bookwise.imports.reading import read_table
from bookwise.imports.services import import_file

from ._common import error

PRINT_ERRORS = 200


def _progress(rows: Rows) -> Rows:
    from tqdm import tqdm

    return iter(tqdm(rows, file=sys.stderr, unit=" rows", disable=not sys.stderr.isatty(), mininterval=0.5))


def _hint(kind: str, path: Path, shown: str) -> str:
    """What to do with a file in another product's format: its preset, or a suggestion."""
    try:
        header, _ = read_table(path)
    except (HeaderError, FileError):
        header = []
    found = suggest(kind, header)
    if found.preset:
        return f"hint: the file looks like a {found.preset} export: add --mapping {found.preset}"
    return f"hint: not in Bookwise's format? `bookwise mapping suggest {kind} {shown}` proposes a mapping"


class Command(BaseCommand):
    help = (
        "Import a file (CSV or XLSX) of reps, accounts, ownership, orders, opportunities or activities: "
        "in Bookwise's format, or any export with --mapping (a preset, a saved mapping or a YAML file)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, change nothing")
        parser.add_argument(
            "--mapping",
            help="a column mapping: a preset (salesforce, hubspot, ...), a saved name or a YAML file",
        )
        parser.add_argument("--sheet", help="the XLSX sheet to read (default: the first)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise error(f"{options['file']}: no such file")
        report = import_file(
            kind=options["kind"],
            path=path,
            filename=options["file"],
            dry_run=options["dry_run"],
            progress=_progress,
            mapping=self._mapping(options),
            sheet=options["sheet"],
        )
        if not report.ok:
            for line in report.error_lines(PRINT_ERRORS):
                self.stderr.write(line)
            if options["mapping"] is None and any("unknown column" in e.message for e in report.errors):
                self.stderr.write(_hint(options["kind"], path, options["file"]))
            raise error(f"{report.error_count} error(s) in {options['file']}; nothing was imported")
        self.stdout.write(report.summary())
        for note in report.notes:
            self.stdout.write(f"note: {note}")

    def _mapping(self, options: dict[str, Any]) -> Mapping | None:
        if not options["mapping"]:
            return None
        try:
            return load_mapping(options["mapping"], kind=options["kind"])
        except MappingError as exc:
            raise error(f"mapping {options['mapping']}: " + "; ".join(exc.problems)) from None
