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
