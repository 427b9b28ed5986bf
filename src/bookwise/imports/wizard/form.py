"""The mapping form: each Bookwise field's basic settings as controls (a source column or a
constant, a date format, a decimal mark, a case, a value map) and back. What the form cannot
show (several columns joined, alternatives, conditions, extract, slug...) is kept as it is;
the whole mapping can also be edited as YAML. Every submitted value is checked against the
file's header and the allowed choices: nothing is taken on trust."""

from __future__ import annotations

from collections.abc import Mapping as Lookup
from dataclasses import dataclass, field
from typing import Any

from bookwise.core.numbers import display_percent
from bookwise.imports.mapping.suggest import DATES, ENUMS, MONEY, Suggestion
from bookwise.imports.mapping.transforms import DATE_FORMATS, EXCEL
from bookwise.imports.parsers import SPECS

from .steps import StepError

SOURCE_KEYS = ("column", "columns", "join", "value", "first")
BASIC_KEYS = {*SOURCE_KEYS, "date", "money", "case", "map"}
CASES = ("upper", "lower", "title")
DECIMALS = {".": "1,234.56 (decimal point)", ",": "1.234,56 (decimal comma)"}
DATE_CHOICES = (*DATE_FORMATS, EXCEL)


@dataclass
class FieldRow:
    """One Bookwise field on the mapping form, as its controls show it."""

    name: str
    required: bool
    source: str = ""  # "", "col:NAME", "const" or "keep" (a combination the form cannot edit)
    source_label: str = ""
    constant: str = ""
    date: str = ""  # "", a format, or formats joined by "|"
    decimal: str = ""
    case: str = ""
    value_map: str = ""
    extra: list[str] = field(default_factory=list)  # other settings, kept as they are
    guess: str = ""  # what the suggestion proposed, with its confidence
    confidence: float | None = None

    @property
    def is_date(self) -> bool:
        return self.name in DATES

    @property
    def is_money(self) -> bool:
        return self.name in MONEY

    @property
    def is_enum(self) -> bool:
        return self.name in ENUMS


def field_rows(kind: str, data: dict[str, Any], hint: Suggestion | None) -> list[FieldRow]:
    fields = data.get("fields") or {}
    rows = []
    for name, column in SPECS[kind].columns.items():
        row = FieldRow(name, column.required)
        _show_rule(row, as_dict(fields.get(name)))
        guess = hint.guesses.get(name) if hint else None
        if guess is not None and guess.confidence:
            row.confidence = guess.confidence
            row.guess = f"{guess.column or guess.why}: {display_percent(guess.confidence, 0)}" + (
                f" ({guess.why})" if guess.column else ""
            )
        rows.append(row)
    return rows


def as_dict(rule: Any) -> dict[str, Any]:
    if rule is None:
        return {}
    return {"column": rule} if isinstance(rule, str) else dict(rule)


def _show_rule(row: FieldRow, rule: dict[str, Any]) -> None:
    if "first" in rule or "columns" in rule:
        row.source = "keep"
        row.source_label = _combination(rule)
    elif "column" in rule:
        row.source = f"col:{rule['column']}"
    elif "value" in rule:
        row.source, row.constant = "const", str(rule["value"])
    dates = rule.get("date")
    row.date = "|".join(dates) if isinstance(dates, list) else str(dates or "")
    money = rule.get("money")
    row.decimal = str((money or {}).get("decimal", ".")) if "money" in rule else ""
    row.case = str(rule.get("case") or "")
    row.value_map = "\n".join(f"{k} = {v}" for k, v in (rule.get("map") or {}).items())
    row.extra = [f"{k}: {v}" for k, v in rule.items() if k not in BASIC_KEYS]


def _combination(rule: dict[str, Any]) -> str:
    if "columns" in rule:
        return f" {rule.get('join', ' ')!s} ".join(str(c) for c in rule["columns"]).join("[]")
    return "first of: " + ", ".join(str(as_dict(alt).get("column", "(constant)")) for alt in rule["first"])


# ------------------------------------------------------------------ back from the form


def apply_edits(kind: str, data: dict[str, Any], post: Lookup[str, str], header: list[str]) -> dict[str, Any]:
    """The mapping's YAML structure with the form's field settings; StepError naming every
    field whose setting is not allowed (nothing is changed then)."""
    fields = data.get("fields") or {}
    problems: list[str] = []
    edited: dict[str, Any] = {}
    for name in SPECS[kind].columns:
        rule = _edit_rule(name, as_dict(fields.get(name)), post, header, problems)
        if rule:
            edited[name] = rule
    if problems:
        raise StepError(problems)
    return {**data, "kind": kind, "fields": edited}


def _edit_rule(
    name: str, rule: dict[str, Any], post: Lookup[str, str], header: list[str], problems: list[str]
) -> dict[str, Any]:
    source = post.get(f"{name}-source", "")
    if source == "":
        return {}
    if source == "keep" and ("columns" in rule or "first" in rule):
        pass
    elif source == "const":
        constant = post.get(f"{name}-const", "").strip()
        if not constant:
            problems.append(f"{name}: a constant value needs the value")
        rule = {"value": constant, **_without_source(rule)}
    elif source.startswith("col:") and source[4:] in header:
        kept = _without_source(rule) if rule.get("column") != source[4:] or "value" in rule else rule
        rule = {"column": source[4:], **{k: v for k, v in kept.items() if k != "column"}}
    else:
        problems.append(f"{name}: {source.removeprefix('col:')!r} is not a column of the file")
        return {}
    _edit_transforms(name, rule, post, problems)
    return rule


def _without_source(rule: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rule.items() if k not in SOURCE_KEYS}


def _edit_transforms(name: str, rule: dict[str, Any], post: Lookup[str, str], problems: list[str]) -> None:
    if name in DATES:
        _set(rule, "date", _date(name, post.get(f"{name}-date", ""), problems))
    if name in MONEY:
        _set(rule, "money", _money(name, rule.get("money"), post.get(f"{name}-decimal", ""), problems))
    case = post.get(f"{name}-case", "")
    if case and case not in CASES:
        problems.append(f"{name}: case {case!r} is not one of {', '.join(CASES)}")
    _set(rule, "case", case or None)
    if name in ENUMS:
        _set(rule, "map", _value_map(name, post.get(f"{name}-map", ""), problems))


def _set(rule: dict[str, Any], key: str, value: Any) -> None:
    """Set the transform where it is (transforms apply in the order written), or drop it."""
    if value is None:
        rule.pop(key, None)
    else:
        rule[key] = value


def _date(name: str, value: str, problems: list[str]) -> Any:
    formats = [f for f in value.split("|") if f]
    wrong = [f for f in formats if f not in DATE_CHOICES]
    if wrong:
        problems.append(f"{name}: {wrong[0]!r} is not a date format ({', '.join(DATE_CHOICES)})")
        return None
    if not formats:
        return None
    return formats[0] if len(formats) == 1 else formats


def _money(name: str, current: Any, decimal: str, problems: list[str]) -> Any:
    if decimal == "":
        return None
    if decimal not in DECIMALS:
        problems.append(f"{name}: decimal mark {decimal!r} is not '.' or ','")
        return None
    if isinstance(current, dict) and current.get("decimal", ".") == decimal:
        return current  # as it was (its thousands separator too; {} is the default: ".")
    return {"decimal": decimal}


def _value_map(name: str, text: str, problems: list[str]) -> dict[str, str] | None:
    """Lines `SOURCE VALUE = bookwise_value`."""
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source, equals, target = line.rpartition("=")
        if not equals or not source.strip():
            shown = line.strip()
            problems.append(f"{name}: value map line {number} ({shown!r}) is not `source value = {name}`")
            continue
        found[source.strip()] = target.strip()
    return found or None
