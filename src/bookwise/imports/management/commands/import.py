"""bookwise import KIND FILE [--dry-run]: load a CSV/XLSX file in the import format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bookwise.imports.parsers import KINDS, Rows
from bookwise.imports.services import import_file

from ._common import error

PRINT_ERRORS = 200


def _progress(rows: Rows) -> Rows:
    from tqdm import tqdm

    return iter(tqdm(rows, file=sys.stderr, unit=" rows", disable=not sys.stderr.isatty(), mininterval=0.5))


class Command(BaseCommand):
    help = "Import a file (CSV or XLSX) of reps, accounts, ownership, orders, opportunities or activities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, change nothing")

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
        )
        if not report.ok:
            for line in report.error_lines(PRINT_ERRORS):
                self.stderr.write(line)
            raise error(f"{report.error_count} error(s) in {options['file']}; nothing was imported")
        self.stdout.write(report.summary())
