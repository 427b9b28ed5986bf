"""The wizard's first steps: the source table (sheets, header, sample) and the mapping to
start from (the suggestion, a preset or a saved mapping), kept as YAML while it is edited.
Mapping rules themselves live in `imports.mapping`; the per-field form is `form`, the
preview `preview`."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import yaml

from bookwise.imports.mapping import library, store
from bookwise.imports.mapping.model import Mapping, MappingError, mapping_from_dict
from bookwise.imports.mapping.suggest import Suggestion, suggest
from bookwise.imports.parsers import FileError, HeaderError
from bookwise.imports.reading import read_table, sheet_names
from bookwise.imports.services import import_limits

SAMPLE_ROWS = 200


class StepError(ValueError):
    """What the user must correct, each problem in their words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Table:
    sheets: list[str]  # an XLSX's sheets (empty for a CSV)
    header: list[str]
    sample: list[dict[str, str]]


def read_source(path: str, sheet: str) -> Table:
    """The sheets, header and first rows of the upload (StepError naming the file's problem)."""
    limits = import_limits()
    name = Path(path).name
    try:
        sheets = sheet_names(path, limits) if path.lower().endswith(".xlsx") else []
        if sheet and sheet not in sheets:
            raise StepError([f"the workbook has no sheet {sheet!r} ({', '.join(sheets)})"])
        header, rows = read_table(path, limits, sheet or None)
        sample = [row for _, row in islice(rows, SAMPLE_ROWS)]
    except (HeaderError, FileError) as error:
        raise StepError([e.render(name) for e in error.errors]) from None
    except (OSError, ValueError, KeyError) as error:
        raise StepError([f"cannot read the file ({error})"]) from None
    return Table(sheets, header, sample)


# ------------------------------------------------------------------ where a mapping starts


def starting_points(kind: str) -> list[tuple[str, str]]:
    """(value, label) of what a mapping may start from: presets for this kind, saved ones."""
    presets = [
        (f"preset:{n}", f"preset: {n}") for n in library.preset_names() if kind in library.preset_kinds(n)
    ]
    saved = [(f"saved:{n}", f"saved: {n}") for n in store.saved_names(kind)]
    return [("suggestion", "the suggestion for this file"), *presets, *saved]


def start_from(choice: str, kind: str, table: Table) -> tuple[str, str]:
    """(YAML, source) of the chosen starting point; only a listed preset or saved name is
    loaded (never a path on the server)."""
    if choice == "suggestion":
        return dump(suggestion(kind, table).data), "suggestion"
    if choice not in dict(starting_points(kind)):
        raise StepError([f"start from: {choice!r} is not a preset or saved mapping for {kind}"])
    name = choice.partition(":")[2]
    mapping = store.load_mapping(name, kind=kind)
    return library.to_yaml(mapping), choice


def suggestion(kind: str, table: Table) -> Suggestion:
    return suggest(kind, table.header, table.sample)


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def load(text: str) -> dict[str, Any]:
    """The mapping's YAML structure (possibly incomplete: required fields still unmapped)."""
    data = yaml.safe_load(text) if text else None
    return data if isinstance(data, dict) else {}


def mapping_of(text: str, kind: str) -> Mapping:
    """The complete mapping (MappingError listing what is still wrong)."""
    return mapping_from_dict(load(text), kind=kind)


def mapping_from_text(text: str, kind: str) -> str:
    """YAML typed by the user, checked; its normalised YAML (StepError with every problem)."""
    try:
        return library.to_yaml(library.parse_yaml(text, kind=kind))
    except MappingError as error:
        raise StepError(error.problems) from None
