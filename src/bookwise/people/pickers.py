"""Rep pickers: the type-ahead choices a page offers (names the user may see) and the one
rule that turns what was typed back into a rep, by rep id or by name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from .models import Rep
from .selectors import rep_list

_WITH_ID = re.compile(r"^(?P<name>.*?)\s*\((?P<id>[^()]+)\)\s*$")


class PickError(ValueError):
    """What was typed names no rep, or several: the message says which, in the user's words."""


def picker_text(rep: Rep) -> str:
    """What a picked option puts in the box: "Luca Becker (R07)"."""
    return f"{rep.name} ({rep.external_id})"


def rep_options(
    *, user: Any, roles: Iterable[str] | None = None, managers_only: bool = False, reps: Any = None
) -> list[tuple[str, str]]:
    """(value, hint) for a <datalist>: the reps the user may see (or `reps`), by name;
    `managers_only` keeps those with somebody reporting to them (a team)."""
    qs = reps if reps is not None else rep_list(user=user)
    if managers_only:
        qs = qs.filter(reports__isnull=False).distinct()
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    reps = qs.select_related(None).only("name", "external_id", "role")
    return [(picker_text(r), r.get_role_display()) for r in reps]


def _candidates(reps: Any, text: str) -> list[Rep]:
    match = _WITH_ID.match(text)
    if match:
        found = list(reps.filter(external_id__iexact=match["id"].strip()))
        if found:
            return found
        text = match["name"]
    exact = list(reps.filter(Q(external_id__iexact=text) | Q(name__iexact=text))[:2])
    if exact:
        return exact
    return list(reps.filter(name__icontains=text)[:6])


def find_rep(*, user: Any, text: str, reps: Any = None) -> Rep | None:
    """The rep meant by `text` among those the user may see: a rep id, a picked option
    "Name (ID)", a full name, or a unique part of a name; None for an empty box. PickError
    when nobody or several match (a rep outside the user's view is 'no rep', never leaked);
    its message leaves the field's label to the caller ("Owner: no rep called 'Zed'")."""
    text = (text or "").strip()
    if not text:
        return None
    found = _candidates(reps if reps is not None else rep_list(user=user), text)
    if not found:
        raise PickError(f"no rep called {text!r}: type a name and pick it from the list.")
    if len(found) > 1:
        names = ", ".join(picker_text(r) for r in found[:5])
        raise PickError(f"{text!r} matches several reps ({names}): pick one from the list.")
    return found[0]


def rep_names(external_ids: Iterable[str | None]) -> dict[str, str]:
    """rep id -> name, for the ids given (one query); unknown ids are left out."""
    wanted = {i for i in external_ids if i}
    if not wanted:
        return {}
    return dict(Rep.objects.filter(external_id__in=wanted).values_list("external_id", "name"))
