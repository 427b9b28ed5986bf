"""Where mappings come from (pure, no Django): a YAML file, or a preset shipped with
Bookwise (`presets/NAME.yaml`, several kinds each). Saved-by-name mappings live in the
database (`mapping.store`), which falls back on these."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from .model import Mapping, MappingError, mapping_from_dict, mapping_to_dict

PRESETS = Path(__file__).resolve().parent / "presets"


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESETS.glob("*.yaml"))


def preset_kinds(name: str) -> list[str]:
    return list(_preset(name).get("kinds", {}))


def parse_yaml(text: str, *, kind: str | None, name: str = "") -> Mapping:
    """A mapping from YAML text (MappingError when it is not one)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise MappingError([f"not YAML: {error}"]) from None
    return mapping_from_dict(data, kind=kind, name=name)


def load_file(path: str | Path, *, kind: str | None) -> Mapping:
    path = Path(path)
    return mapping_from_dict(_yaml(path, str(path)), kind=kind, name=path.stem)


def load_preset(name: str, *, kind: str) -> Mapping:
    if name not in preset_names():
        raise MappingError([f"no preset called {name!r} (presets: {', '.join(preset_names())})"])
    return mapping_from_dict(_preset(name), kind=kind, name=name)


def load_mapping(name_or_path: str, *, kind: str) -> Mapping:
    """A YAML file when `name_or_path` is one, else a preset."""
    if Path(name_or_path).is_file():
        return load_file(name_or_path, kind=kind)
    if name_or_path in preset_names():
        return load_preset(name_or_path, kind=kind)
    presets = ", ".join(preset_names())
    raise MappingError([f"{name_or_path!r} is neither a mapping file nor a preset ({presets})"])


def to_yaml(mapping: Mapping) -> str:
    return yaml.safe_dump(mapping_to_dict(mapping), sort_keys=False, allow_unicode=True, width=100)


@functools.cache
def _preset(name: str) -> Any:
    """A preset's YAML, read once per process: presets ship with the code, and the wizard's
    suggestions read every one of them on every page. Read only (mapping_from_dict copies)."""
    return _yaml(PRESETS / f"{name}.yaml", name)


def _yaml(path: Path, shown: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise MappingError([f"{shown}: not YAML: {error}"]) from None
    except OSError as error:
        raise MappingError([f"{shown}: cannot read it ({error.strerror or error})"]) from None
