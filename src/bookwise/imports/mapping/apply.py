"""Applying a column mapping to the rows of a source file (pure, no Django): the rows come
out in Bookwise's own format (`{field: text}`), each with the line it came from, so the
importers check them by the contract (IMPORT_FORMATS.md) and every error still names the
source file's line and column, with the value."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from bookwise.imports.parsers import HeaderError, RowError, Rows
from bookwise.imports.reading import header_key

from .model import ID_FIELDS, FieldRule, Mapping
from .transforms import Step

SOURCE = "\0src:"  # an error column that already names the source column


@dataclass
class Applied:
    """The mapped rows (an iterator: read them once) and, once read, what the mapping did:
    rows left out by `keep`, the (line, field) whose transform failed, the account ids."""

    mapping: Mapping
    rows: Rows = field(default_factory=lambda: iter(()))
    skipped: int = 0
    failed: set[tuple[int, str]] = field(default_factory=set)
    account_ids: set[str] = field(default_factory=set)

    def label(self, name: str) -> str:
        """A Bookwise field as the user knows it: the source column(s) it is read from."""
        rule = self.mapping.fields.get(name)
        if rule is None or not rule.columns or header_key(rule.label) == header_key(name):
            return name
        return f"{rule.label} ({name})"

    def relabel(self, errors: list[RowError]) -> list[RowError]:
        """The importer's errors in the source's words: a field named by its source column;
        an error of a field whose transform already failed on that line left out (it
        would repeat it as `required`)."""
        out = []
        for error in errors:
            if error.column.startswith(SOURCE):
                out.append(replace(error, column=error.column[len(SOURCE) :]))
            elif (error.line, error.column) not in self.failed:
                out.append(replace(error, column=self.label(error.column)))
        return out

    def notes(self) -> list[str]:
        if not self.skipped:
            return []
        return [f"{self.skipped} rows left out by the mapping's `keep` rules"]


def apply(mapping: Mapping, header: list[str], rows: Rows) -> Applied:
    """The mapped rows of a file with `header`; HeaderError (line 1) naming every column the
    mapping reads that the file lacks."""
    columns = _resolve(mapping, header)
    applied = Applied(mapping)
    applied.rows = _mapped(applied, columns, rows)
    return applied


def _resolve(mapping: Mapping, header: list[str]) -> dict[str, str]:
    """Each column the mapping names -> the file's header cell it matches (by header_key)."""
    found = {header_key(name): name for name in header}
    columns, errors = {}, []
    for name in mapping.columns():
        if header_key(name) in found:
            columns[name] = found[header_key(name)]
        else:
            users = [f for f, r in mapping.fields.items() if name in r.all_columns()]
            users += (
                ["an extra row"]
                if any(name in r.all_columns() for x in mapping.also for r in x.values())
                else []
            )
            users += ["which rows are kept"] if any(c.column == name for c in mapping.keep) else []
            errors.append(RowError(1, name, f"missing column (the mapping reads it for {', '.join(users)})"))
    if errors:
        raise HeaderError(errors)
    return columns


def _mapped(applied: Applied, columns: dict[str, str], rows: Rows) -> Iterator[tuple[int, dict[str, str]]]:
    mapping = applied.mapping
    steps = _steps([r for rules in (mapping.fields, *mapping.also) for r in rules.values()])
    id_field = ID_FIELDS.get(mapping.kind)
    seen: set[str] = set()
    extra: dict[str, tuple[int, dict[str, str]]] = {}
    for line, raw in rows:
        cells = {name: raw.get(source, "") for name, source in columns.items()}
        if not all(c.holds(cells[c.column]) for c in mapping.keep):
            applied.skipped += 1
            continue
        row = _row(applied, line, mapping.fields, cells, steps)
        _carry_marks(raw, row)
        if id_field:
            seen.add(row.get(id_field, "").strip())
        if row.get("account_id"):
            applied.account_ids.add(row["account_id"].strip())
        yield line, row
        for rules in mapping.also:
            more = _row(applied, line, rules, cells, steps)
            key = more.get(id_field or "", "").strip()
            if key and key not in extra:
                extra[key] = (line, more)
    yield from (item for key, item in extra.items() if key not in seen)


def _steps(rules: list[FieldRule]) -> dict[int, list[Step]]:
    """Every rule's transforms built once (alternatives' too), by the rule's identity."""
    built: dict[int, list[Step]] = {}
    for rule in rules:
        built[id(rule)] = rule.built_steps()
        built |= _steps(list(rule.first))
    return built


def _carry_marks(raw: dict[str, str], row: dict[str, str]) -> None:
    """The reader's marks (extra cells, control characters, long cells), kept naming the
    source column."""
    for key, value in raw.items():
        if key == "\0extra":
            row[key] = value
        elif key.startswith("\0bad:"):
            row["\0bad"] = ""
            row[f"\0bad:{SOURCE}{key[5:]}"] = value


def _row(
    applied: Applied,
    line: int,
    rules: dict[str, FieldRule],
    cells: dict[str, str],
    steps: dict[int, list[Step]],
) -> dict[str, str]:
    row: dict[str, str] = {}
    for name, rule in rules.items():
        try:
            row[name] = evaluate(rule, cells, steps)
        except ValueError as error:
            row[name] = ""
            row["\0bad"] = ""
            row[f"\0bad:{SOURCE}{getattr(error, 'column', rule.label)}"] = str(error)
            applied.failed.add((line, name))
    return row


class Failed(ValueError):
    """A transform refused the value of `column` (of one of a rule's alternatives)."""

    def __init__(self, message: str, column: str) -> None:
        super().__init__(message)
        self.column = column


def _first(rule: FieldRule, cells: dict[str, Any], steps_of: dict[int, list[Step]]) -> str:
    for alt in rule.first:
        try:
            value = evaluate(alt, cells, steps_of)
        except Failed:
            raise
        except ValueError as error:
            raise Failed(str(error), alt.label) from None
        if value.strip():
            return value
    return ""


def evaluate(rule: FieldRule, cells: dict[str, Any], steps_of: dict[int, list[Step]]) -> str:
    """One field's text from the row's source cells (`steps_of`: every rule's transforms)."""
    steps = steps_of[id(rule)]
    if rule.when is not None and not rule.when.holds(cells.get(rule.when.column, "")):
        return ""
    if rule.first:
        value = _first(rule, cells, steps_of)
    elif rule.columns:
        parts = [str(cells.get(c, "")) for c in rule.columns]
        value = rule.join.join(p.strip() if rule.trim else p for p in parts if p.strip())
    else:
        value = rule.value or ""
    for step in steps:
        if value.strip():
            value = step(value.strip() if rule.trim else value)
    if not value.strip() and rule.default is not None:
        value = rule.default
    return value
