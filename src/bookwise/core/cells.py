"""Spreadsheet cells safe from formula injection (OWASP, "CSV Injection"): the one home of
the rule for every CSV Bookwise writes (the audit trail, the exports in the import format)
and of its inverse for the import.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a
formula by a spreadsheet, so it is written with a single quote in front, which a
spreadsheet shows as text. A cell already starting with a quote gets one more, so that
`csv_unquote` (used by the import on every cell) gives back exactly what was written:
`csv_unquote(csv_safe(v)) == v` for every text."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def csv_safe(value: Any) -> str:
    """The cell as text, a quote in front when it starts like a formula (or with a quote)."""
    text = "" if value is None else str(value)
    return QUOTE + text if text.startswith((*FORMULA_STARTS, QUOTE)) else text


def csv_unquote(text: str) -> str:
    """The value of a cell `csv_safe` wrote: the neutralising quote taken off again."""
    if text.startswith(QUOTE) and text[1:2] and text[1:].startswith((*FORMULA_STARTS, QUOTE)):
        return text[1:]
    return text
