"""bookwise convert maven-crm SOURCE_DIR OUT_DIR: map another CRM's export to import files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bookwise.imports import maven

from ._common import error

SOURCES = {"maven-crm": ("sales_teams.csv", "accounts.csv", "products.csv", "sales_pipeline.csv")}


class Command(BaseCommand):
    help = (
        "Convert another CRM's export into Bookwise import files (reps, accounts, opportunities, "
        "orders), to import in that order. Sources: maven-crm."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=sorted(SOURCES))
        parser.add_argument("source_dir")
        parser.add_argument("out_dir")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source_dir"])
        missing = [name for name in SOURCES[options["source"]] if not (source / name).is_file()]
        if missing:
            raise error(f"{source}: missing {', '.join(missing)}")
        try:
            conversion = maven.convert(source)
            paths = maven.write_files(conversion, Path(options["out_dir"]))
        except ValueError as exc:
            raise error(str(exc)) from None
        except KeyError as exc:
            raise error(f"{source}: unexpected content ({exc})") from None
        except OSError as exc:
            raise error(f"cannot write to {options['out_dir']}: {exc.strerror or exc}") from None
        for kind, count in conversion.counts().items():
            self.stdout.write(f"{paths[kind]}: {count} {kind}")
        for note in conversion.notes:
            self.stdout.write(f"note: {note}")
        kinds = " ".join(str(paths[k]) for k in ("reps", "accounts", "opportunities", "orders"))
        self.stdout.write(f"next: bookwise import KIND FILE for each of {kinds}, in that order")
        self.stdout.write("note: `bookwise import KIND FILE --mapping maven-crm` imports the files directly")
