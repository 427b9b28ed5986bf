"""bookwise mapping suggest|show|save|list: column mappings for `bookwise import --mapping`."""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandParser

from bookwise.imports.mapping import library, store
from bookwise.imports.mapping.model import MappingError
from bookwise.imports.mapping.suggest import Suggestion, suggest
from bookwise.imports.parsers import KINDS, FileError, HeaderError
from bookwise.imports.reading import read_table
from bookwise.imports.services import import_limits

from ._common import error

SAMPLE_ROWS = 200


class Command(BaseCommand):
    help = (
        "Column mappings: `suggest KIND FILE` prints a proposed mapping (YAML) to edit; `show NAME KIND` "
        "prints a preset or saved mapping; `save NAME FILE KIND` saves a YAML mapping by name; `list`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        one = sub.add_parser("suggest", help="propose a mapping for a file")
        one.add_argument("kind", choices=KINDS)
        one.add_argument("file")
        one.add_argument("--sheet", help="the XLSX sheet (default: the first)")
        show = sub.add_parser("show", help="print a preset or saved mapping as YAML")
        show.add_argument("name")
        show.add_argument("kind", choices=KINDS)
        save = sub.add_parser("save", help="save a YAML mapping file under a name")
        save.add_argument("name")
        save.add_argument("file")
        save.add_argument("kind", choices=KINDS)
        sub.add_parser("list", help="presets and saved mappings")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except MappingError as exc:
            raise error("; ".join(exc.problems)) from None

    def _suggest(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise error(f"{options['file']}: no such file")
        try:
            header, rows = read_table(path, import_limits(), options.get("sheet"))
            sample = [raw for _, raw in islice(rows, SAMPLE_ROWS)]
        except (HeaderError, FileError) as exc:
            raise error("; ".join(e.render(options["file"]) for e in exc.errors)) from None
        self.stdout.write(suggestion_yaml(suggest(options["kind"], header, sample), path.name))

    def _show(self, options: dict[str, Any]) -> None:
        mapping = store.load_mapping(options["name"], kind=options["kind"])
        self.stdout.write(library.to_yaml(mapping), ending="")

    def _save(self, options: dict[str, Any]) -> None:
        mapping = library.load_file(options["file"], kind=options["kind"])
        saved = store.save_mapping(options["name"], mapping)
        self.stdout.write(f"saved mapping {saved.name!r} for {saved.kind}")

    def _list(self, options: dict[str, Any]) -> None:
        for name in library.preset_names():
            self.stdout.write(f"{name} (preset): {', '.join(library.preset_kinds(name))}")
        for saved in store.SavedMapping.objects.all():
            self.stdout.write(f"{saved.name} (saved): {saved.kind}")


def suggestion_yaml(found: Suggestion, filename: str) -> str:
    """The suggestion as YAML to edit, with what it is sure of in comments."""
    lines = [f"# mapping proposed for {filename} ({found.kind})"]
    if found.preset:
        lines.append(
            f"# the file has every column of the {found.preset} preset: "
            f"`--mapping {found.preset}` does the same"
        )
    for name, guess in found.guesses.items():
        if guess.column:
            lines.append(f"#   {name} <- {guess.column!r}: confidence {guess.confidence:.1f} ({guess.why})")
    if found.missing:
        lines.append(f"# REQUIRED AND NOT MAPPED: {', '.join(found.missing)} (add them under fields)")
    if found.unused:
        lines.append(f"# columns not used: {', '.join(found.unused)}")
    return (
        "\n".join(lines) + "\n" + yaml.safe_dump(found.data, sort_keys=False, allow_unicode=True, width=100)
    )
