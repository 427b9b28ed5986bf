"""What the contacts app shows on other apps' pages: the account page's relationship map and
the home page's single-threaded accounts (registered from ContactsConfig.ready)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import today
from bookwise.people.selectors import rep_list

from .forms import ContactForm, RelationshipForm
from .selectors import current_rep_q, relationship_map, single_threaded


def rep_choices(user: Any, day: date) -> list[tuple[str, str]]:
    """The current reps whose relationships the user may record, by name."""
    reps = rep_list(user=user).filter(current_rep_q(day)).select_related(None).only("name", "external_id")
    return [(r.external_id, f"{r.name} ({r.external_id})") for r in reps]


def account_panel(request: HttpRequest, *, account: Account, day: date) -> dict[str, Any]:
    rows, cov = relationship_map(account=account, day=day)
    contacts = [(r.contact.external_id, r.contact.name) for r in rows if not r.contact.left]
    return {
        "account": account,
        "rows": rows,
        "coverage": cov,
        "contact_form": ContactForm(auto_id="id_new_contact_%s"),
        "relationship_form": RelationshipForm(
            contacts=contacts, reps=rep_choices(request.user, day), auto_id="id_rel_%s"
        )
        if contacts
        else None,
    }


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    rows = single_threaded(user=request.user, day=today())
    return {"single_threaded": rows[:10], "count": len(rows)} if rows else None
