"""Writes of contacts and relationships. Every change is audited with before and after; the
rules for values (a name that says something, an email, a phone number, a known role) live
here, so pages, the API, the handoff introduction and the import agree."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from bookwise.accounts.models import Account
from bookwise.core.errors import Conflict, NotFound
from bookwise.core.services import audit_changes, audit_record
from bookwise.core.validation import InvalidValue, real_answer
from bookwise.people.models import Rep
from bookwise.people.selectors import require_edits_visible, scope_for
from bookwise.people.services import rep_label

from . import rules
from .models import BuyingRole, Contact, Relationship, Source, Strength

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{5,50}$")
FIELDS = ("name", "title", "buying_role", "email", "phone", "left")
ROLE_LABELS = dict(BuyingRole.choices)


def check_email(value: str) -> str:
    value = (value or "").strip()
    if value and (len(value) > 254 or not EMAIL.match(value)):
        raise InvalidValue("Email", f"{value!r} is not an email address.", "email")
    return value


def check_phone(value: str) -> str:
    value = (value or "").strip()
    if value and (not PHONE.match(value) or sum(ch.isdigit() for ch in value) < 5):
        raise InvalidValue(
            "Phone", f"{value!r} is not a phone number (digits, spaces, + ( ) - . /).", "phone"
        )
    return value


def check_role(value: str) -> str:
    if value not in ROLE_LABELS:
        choices = ", ".join(f"{k} ({v})" for k, v in ROLE_LABELS.items())
        raise InvalidValue("Role in buying", f"{value!r} is not one of {choices}.", "buying_role")
    return value


def check_strength(value: str) -> str:
    if value not in rules.STRENGTHS:
        raise InvalidValue("How well", f"{value!r} is not one of met, regular, strong.", "strength")
    return value


def clean_contact(fields: dict[str, Any]) -> dict[str, Any]:
    """The contact's fields checked (only those given)."""
    out: dict[str, Any] = {}
    if "name" in fields:
        out["name"] = real_answer(fields["name"], "Name", field="name")[:200]
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if len(title) > 200:
            raise InvalidValue("Title", "longer than 200 characters.", "title")
        out["title"] = title
    if "buying_role" in fields:
        out["buying_role"] = check_role(fields["buying_role"])
    if "email" in fields:
        out["email"] = check_email(fields["email"])
    if "phone" in fields:
        out["phone"] = check_phone(fields["phone"])
    if "left" in fields:
        out["left"] = bool(fields["left"])
    return out


def _snapshot(contact: Contact) -> dict[str, Any]:
    return {name: getattr(contact, name) for name in FIELDS}


def next_contact_id() -> str:
    last = Contact.objects.order_by("-id").values_list("id", flat=True).first() or 0
    candidate = last + 1
    while Contact.objects.filter(external_id=f"CT-{candidate:06d}").exists():
        candidate += 1
    return f"CT-{candidate:06d}"


@transaction.atomic
def contact_create(*, account: Account, actor: Any, contact_id: str = "", **fields: Any) -> Contact:
    """A new contact of `account` (the id given, or the next CT-nnnnnn); not by sales ops."""
    require_edits_visible(actor)
    cleaned = clean_contact({"title": "", "email": "", "phone": "", "left": False, **fields})
    for required in ("name", "buying_role"):
        if required not in cleaned:
            label = "Name" if required == "name" else "Role in buying"
            raise InvalidValue(label, "an answer is required.", required)
    contact_id = (contact_id or "").strip() or next_contact_id()
    if len(contact_id) > 64:
        raise InvalidValue("Contact id", "longer than 64 characters.", "contact_id")
    if Contact.objects.filter(external_id=contact_id).exists():
        raise Conflict(f"Contact id {contact_id} is already taken.", {"field": "contact_id"})
    contact = Contact.objects.create(external_id=contact_id, account=account, **cleaned)
    audit_record(actor=actor, action="contact.create", obj=contact, data={"after": _snapshot(contact)})
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor: Any, **fields: Any) -> Contact:
    """Change the fields given (e.g. mark the contact as having left the company); not by
    sales ops."""
    require_edits_visible(actor)
    cleaned = clean_contact(fields)
    before = _snapshot(contact)
    for name, value in cleaned.items():
        setattr(contact, name, value)
    contact.save()
    was, now = audit_changes(before, _snapshot(contact))
    if now:
        audit_record(actor=actor, action="contact.update", obj=contact, data={"before": was, "after": now})
    return contact


def require_rep_in_scope(actor: Any, rep: Rep) -> None:
    """Whose relationships a user may record: their own, their team's, anyone's for admins
    and directors; none for sales ops. Another rep is unknown to them (404, as an unknown id)."""
    require_edits_visible(actor)
    if actor is not None and not scope_for(actor).covers(rep.pk):
        raise NotFound("No such rep.", {"field": "rep_id"})
    if rep.end_date is not None:
        raise InvalidValue("Rep", f"{rep.name} has left or is leaving; record a current rep.", "rep_id")


@transaction.atomic
def relationship_set(
    *, contact: Contact, rep: Rep, strength: str, actor: Any, source: str = Source.MANUAL
) -> Relationship:
    """Record how well `rep` knows `contact` (replacing what was recorded)."""
    check_strength(strength)
    require_rep_in_scope(actor, rep)
    rel, created = Relationship.objects.get_or_create(
        contact=contact, rep=rep, defaults={"strength": strength, "source": source}
    )
    before = None if created else rel.strength
    if not created and (rel.strength != strength or rel.source != source):
        rel.strength, rel.source = strength, source
        rel.save(update_fields=["strength", "source", "updated_at"])
    if before != strength:
        audit_record(
            actor=actor,
            action="contact.relationship",
            obj=contact,
            data={"rep": rep_label(rep), "before": before, "after": strength, "source": source},
        )
    return rel


@transaction.atomic
def relationship_remove(*, contact: Contact, rep: Rep, actor: Any) -> None:
    require_rep_in_scope(actor, rep)
    rel = Relationship.objects.filter(contact=contact, rep=rep).first()
    if rel is None:
        raise NotFound(f"{rep.name} has no recorded relationship with {contact.name}.", {"field": "rep_id"})
    rel.delete()
    audit_record(
        actor=actor,
        action="contact.relationship_remove",
        obj=contact,
        data={"rep": rep_label(rep), "before": rel.strength},
    )


def record_introduction(*, contacts: list[Contact], rep: Rep, actor: Any) -> list[Contact]:
    """The contacts met `rep` at a handoff introduction: each is known by the rep at least as
    "met" (a stronger recorded relationship stays). Checks of who may do it are the caller's."""
    met = []
    for contact in contacts:
        have = Relationship.objects.filter(contact=contact, rep=rep).first()
        if have is None:
            Relationship.objects.create(
                contact=contact, rep=rep, strength=Strength.MET, source=Source.INTRODUCTION
            )
            audit_record(
                actor=actor,
                action="contact.relationship",
                obj=contact,
                data={"rep": rep_label(rep), "before": None, "after": "met", "source": "introduction"},
            )
        met.append(contact)
    return met
