"""Proposing a mapping for a file nobody described yet (pure, no Django):
`suggest(kind, headers, sample)` matches the file's headers to Bookwise's fields without
case, spaces or punctuation and through synonyms ("Account Owner", "Close Date",
"Amount (EUR)"), guesses date and number formats and value maps from sample rows, and
says how sure it is of each field and which required fields are still unmapped. A file
that has every column of a preset gets that preset."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bookwise.imports import parsers
from bookwise.imports.parsers import SPECS
from bookwise.imports.reading import header_key

from . import library
from .model import mapping_to_dict
from .synonyms import SYNONYMS
from .transforms import CURRENCY, DATE_FORMATS, EXCEL, date_step

ENUMS = {
    "role": parsers.ROLES,
    "status": parsers.STATUSES,
    "lost_reason": parsers.LOST_REASONS,
    "stage": parsers.STAGES,
    "kind": parsers.ORDER_KINDS,
    "reason": parsers.OWNERSHIP_REASONS,
}
DATES = {
    "hire_date",
    "end_date",
    "created_date",
    "lost_date",
    "start_date",
    "order_date",
    "expected_close_date",
    "closed_date",
    "date",
}
MONEY = {"potential_revenue", "amount", "gross_profit", "hours"}
_PARENS = re.compile(r"\([^)]*\)")


@dataclass
class Guess:
    column: str | None
    confidence: float  # 1 exact name, 0.9 a synonym, 0.8 a synonym with a note in brackets, 0.5 a part
    why: str


@dataclass
class Suggestion:
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)  # the YAML structure of `fields`
    guesses: dict[str, Guess] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # required fields nobody fills
    unused: list[str] = field(default_factory=list)  # source columns left out
    preset: str | None = None
    data: dict[str, Any] = field(default_factory=dict)  # the whole mapping, ready for YAML


def suggest(kind: str, headers: list[str], sample: list[dict[str, str]] | None = None) -> Suggestion:
    preset = _preset_for(kind, headers)
    if preset is not None:
        return preset
    found = Suggestion(kind)
    chosen = _assign(kind, headers)
    for name in SPECS[kind].columns:
        column, score, why = chosen.get(name, (None, 0.0, "no column looks like it"))
        found.guesses[name] = Guess(column, score, why)
        if column is not None:
            found.fields[name] = _rule(name, column, [row.get(column, "") for row in sample or []])
    taken = {g.column for g in found.guesses.values()}
    found.missing = [n for n, c in SPECS[kind].columns.items() if c.required and n not in found.fields]
    found.unused = [h for h in headers if h not in taken]
    found.data = {"kind": kind, "fields": found.fields}
    return found


def _preset_for(kind: str, headers: list[str]) -> Suggestion | None:
    keys = {header_key(h) for h in headers}
    best = None
    for name in library.preset_names():
        if kind not in library.preset_kinds(name):
            continue
        mapping = library.load_preset(name, kind=kind)
        columns = mapping.columns()
        if all(header_key(c) in keys for c in columns) and (
            best is None or len(columns) > len(best.columns())
        ):
            best = mapping
    if best is None:
        return None
    data = mapping_to_dict(best)
    used = {header_key(c) for c in best.columns()}
    return Suggestion(
        kind,
        fields=data["fields"],
        guesses={f: Guess(None, 1.0, f"the {best.name} preset") for f in best.fields},
        missing=[],
        unused=[h for h in headers if header_key(h) not in used],
        preset=best.name,
        data=data,
    )


def _assign(kind: str, headers: list[str]) -> dict[str, tuple[str, float, str]]:
    """Each field's column: the best-scoring (field, header) pairs first, each used once
    (so "Account Owner" goes to the owner, not to the account's name)."""
    pairs = []
    for order, name in enumerate(SPECS[kind].columns):
        names = [header_key(name), *(header_key(s) for s in SYNONYMS.get(kind, {}).get(name, ()))]
        for position, header in enumerate(headers):
            score, why = _score(header, names)
            if score:
                pairs.append((-score, order, position, name, header, why))
    chosen: dict[str, tuple[str, float, str]] = {}
    for negative, _, _, name, header, why in sorted(pairs):
        if name not in chosen and header not in {c for c, _, _ in chosen.values()}:
            chosen[name] = (header, -negative, why)
    return chosen


def _score(header: str, names: list[str]) -> tuple[float, str]:
    key, bare = header_key(header), header_key(_PARENS.sub("", header))
    if key == names[0]:
        return 1.0, "the field's own name"
    if key in names[1:]:
        return 0.9, "a usual name for it"
    if bare and bare in names:
        return 0.8, "a usual name for it, with a note in brackets"
    if any(len(n) >= 5 and n in key for n in names):
        return 0.5, "its name holds a usual name for it"
    return 0.0, ""


def _rule(name: str, column: str, values: list[str]) -> Any:
    values = [v.strip() for v in values if v and v.strip()]
    rule: dict[str, Any] = {"column": column}
    if name in DATES and values and not all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in values):
        rule["date"] = _date_format(values)
    elif name in MONEY and values and not all(re.fullmatch(r"-?\d+(\.\d{1,2})?", v) for v in values):
        bare = [CURRENCY.sub("", v) for v in values]
        rule["money"] = {"decimal": ","} if any(re.search(r"\d,\d{1,2}\)?-?$", v) for v in bare) else {}
    elif name in ENUMS and values:
        rule["map"] = _value_map(values, ENUMS[name])
    return rule if len(rule) > 1 else column


def _date_format(values: list[str]) -> str:
    for fmt in (*DATE_FORMATS, EXCEL):
        step = date_step(fmt)
        try:
            for value in values:
                step(value)
        except ValueError:
            continue
        return fmt
    return "YYYY-MM-DD"


def _value_map(values: list[str], choices: tuple[str, ...]) -> dict[str, str]:
    """Each distinct source value -> the Bookwise value its name holds ("" when none: to fill in)."""
    out: dict[str, str] = {}
    for value in dict.fromkeys(values):
        key = header_key(value)
        out[value] = next((c for c in choices if header_key(c) == key), "") or next(
            (c for c in choices if header_key(c) in key), ""
        )
    return out
