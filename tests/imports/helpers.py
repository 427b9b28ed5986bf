"""Test helpers for imports: write a file, import it, read the messages."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from bookwise.imports.services import ImportReport, import_file

TODAY = date(2026, 3, 15)


def write(tmp_path: Path, name: str, text: str, *, bom: bool = False) -> Path:
    path = tmp_path / name
    body = textwrap.dedent(text).lstrip("\n")
    path.write_text(("\ufeff" if bom else "") + body, encoding="utf-8")
    return path


def run(tmp_path: Path, kind: str, text: str, *, dry_run: bool = False, today: date = TODAY) -> ImportReport:
    path = write(tmp_path, f"{kind}.csv", text)
    return import_file(kind=kind, path=path, filename=f"{kind}.csv", dry_run=dry_run, today=today)


def messages(report: ImportReport) -> list[str]:
    return report.error_lines(1000)


def counts(report: ImportReport) -> tuple[int, int, int, int]:
    assert report.ok, messages(report)
    return report.created, report.updated, report.unchanged, report.deleted


def line_structures() -> dict[str, tuple]:
    """The order lines' indexes and constraints: name -> (columns, unique, foreign key, index)."""
    from django.db import connection

    from bookwise.accounts.models import OrderLine

    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, OrderLine._meta.db_table)
    return {name: (c["columns"], c["unique"], c["foreign_key"], c["index"]) for name, c in found.items()}


def plain_indexes(structures: dict[str, tuple]) -> set[str]:
    """The names of the plain indexes (no rule depends on them) among `line_structures()`."""
    return {name for name, (_, unique, key, index) in structures.items() if index and not unique and not key}
