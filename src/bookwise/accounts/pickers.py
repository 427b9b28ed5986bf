"""Account pickers: the type-ahead choices a page offers (the accounts the user may see, by
name) and the one rule that turns what was typed back into an account, by id or by name."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q

from bookwise.people.pickers import PickError

from .models import Account
from .selectors import visible_accounts

_WITH_ID = re.compile(r"^(?P<name>.*?)\s*\((?P<id>[^()]+)\)\s*$")

__all__ = ["PickError", "account_options", "find_account", "picker_text"]


def picker_text(account: Account) -> str:
    """What a picked option puts in the box: "Acme Ltd (AC-0023)"."""
    return f"{account.name} ({account.external_id})"


def account_options(*, user: Any, accounts: Any = None) -> list[tuple[str, str]]:
    """(value, hint) for a <datalist>: the accounts the user may see, by name."""
    qs = accounts if accounts is not None else visible_accounts(user=user)
    rows = qs.order_by("name", "external_id").values_list("name", "external_id", "territory__name")
    return [(f"{name} ({ident})", territory or "") for name, ident, territory in rows]


def _candidates(accounts: Any, text: str) -> list[Account]:
    match = _WITH_ID.match(text)
    if match:
        found = list(accounts.filter(external_id__iexact=match["id"].strip())[:2])
        if found:
            return found
        text = match["name"]
    exact = list(accounts.filter(Q(external_id__iexact=text) | Q(name__iexact=text))[:2])
    return exact or list(accounts.filter(name__icontains=text).order_by("name")[:6])


def find_account(*, user: Any, text: str, accounts: Any = None) -> Account | None:
    """The account meant by `text` among those the user may see: an account id, a picked
    option "Name (ID)", a full name or a unique part of one; None for an empty box.
    PickError when nobody or several match (the caller adds the field's label)."""
    text = (text or "").strip()
    if not text:
        return None
    found = _candidates(accounts if accounts is not None else visible_accounts(user=user), text)
    if not found:
        raise PickError(f"no account called {text!r}: type a name and pick it from the list.")
    if len(found) > 1:
        names = ", ".join(picker_text(a) for a in found[:5])
        raise PickError(f"{text!r} matches several accounts ({names}): pick one from the list.")
    return found[0]
