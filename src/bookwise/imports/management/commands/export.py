"""bookwise export KIND FILE [--user USERNAME]: write a file in the import format."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from bookwise.imports.exporters import write_file
from bookwise.imports.parsers import KINDS

from ._common import error


class Command(BaseCommand):
    help = "Export reps, accounts, ownership, orders, opportunities or activities (CSV, or XLSX for .xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")
        parser.add_argument("--user", help="only what this user (username) may see")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            model = get_user_model()
            try:
                user = model.objects.get(username=options["user"])
            except model.DoesNotExist:
                raise error(f"no user called {options['user']!r}") from None
        try:
            count = write_file(options["kind"], options["file"], user=user)
        except OSError as exc:
            raise error(f"cannot write {options['file']}: {exc.strerror or exc}") from None
        self.stdout.write(f"{options['kind']}: {count} rows written to {options['file']}")
