"""Mappings saved by name in the database (audited), and the one loader every interface
uses: `load_mapping(name_or_path, kind=...)` finds a YAML file, else a mapping saved by
that name, else a preset."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.db import transaction

from bookwise.core.actor import acting
from bookwise.core.services import audit_record
from bookwise.imports.models import SavedMapping

from . import library
from .model import Mapping, MappingError, mapping_to_dict

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$")


def load_mapping(name_or_path: str, *, kind: str) -> Mapping:
    if Path(name_or_path).is_file():
        return library.load_file(name_or_path, kind=kind)
    saved = SavedMapping.objects.filter(name=name_or_path, kind=kind).first()
    if saved is not None:
        return library.parse_yaml(saved.body, kind=kind, name=saved.name)
    if name_or_path in library.preset_names():
        return library.load_preset(name_or_path, kind=kind)
    known = sorted({*saved_names(kind), *library.preset_names()})
    raise MappingError(
        [f"{name_or_path!r} is neither a mapping file nor a saved mapping or preset ({', '.join(known)})"]
    )


def saved_names(kind: str | None = None) -> list[str]:
    rows = SavedMapping.objects.all() if kind is None else SavedMapping.objects.filter(kind=kind)
    return sorted(set(rows.values_list("name", flat=True)))


def save_mapping(name: str, mapping: Mapping, user: Any = None) -> SavedMapping:
    """Save (or replace) the mapping under `name` for its kind; audited
    (`imports.mapping.save`, the YAML before and after). A preset's name is refused."""
    name = name.strip()
    user = user if user is not None else acting(None).user
    if not _NAME.match(name):
        raise MappingError(
            [f"name: {name!r} is not a mapping name (letters, digits, space . _ -; at most 80)"]
        )
    if name in library.preset_names():
        raise MappingError([f"name: {name!r} is a preset's name; choose another"])
    body = library.to_yaml(Mapping(**{**mapping.__dict__, "name": name}))
    with transaction.atomic():
        saved, created = SavedMapping.objects.select_for_update().get_or_create(
            name=name, kind=mapping.kind, defaults={"body": body, "saved_by": user}
        )
        before = None if created else saved.body
        if not created:
            if saved.body == body:
                return saved
            saved.body, saved.saved_by = body, user
            saved.save(update_fields=["body", "saved_by", "updated_at"])
        data = {
            "kind": mapping.kind,
            "before": before,
            "after": body,
            "fields": sorted(mapping_to_dict(mapping)["fields"]),
        }
        audit_record(actor=user, action="imports.mapping.save", obj=saved, data=data)
    return saved
