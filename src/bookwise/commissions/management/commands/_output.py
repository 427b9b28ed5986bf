"""Table / CSV / JSON output shared by the commissions and rebates commands."""

from __future__ import annotations

import csv
import json
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandError, OutputWrapper


class error(CommandError):  # noqa: N801 - Django prints "<class name>: <message>", i.e. "error: ..."
    """A command failure shown as `error: ...` on stderr, exit status 1."""


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def emit(out: OutputWrapper, rows: Sequence[Mapping[str, object]], columns: list[str], fmt: str) -> None:
    if fmt == "json":
        out.write(json.dumps(rows, indent=2, default=cell))
        return
    flat = [[cell(row.get(c)) for c in columns] for row in rows]
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(flat)
        return
    if not rows:
        out.write("(nothing to show)")
        return
    widths = [max(len(c), *(len(r[i]) for r in flat)) for i, c in enumerate(columns)]
    out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for r in flat:
        out.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))


def emit_json_list(out: OutputWrapper, rows: Iterable[dict[str, Any]]) -> None:
    """The text emit(out, rows, [], "json") writes, one row at a time (a stored run's
    statements are read one by one, not all at once)."""
    opened = False
    for row in rows:
        text = textwrap.indent(json.dumps(row, indent=2, default=cell), "  ")
        out.write(("," if opened else "[") + "\n" + text, ending="")
        opened = True
    out.write("\n]" if opened else "[]")
