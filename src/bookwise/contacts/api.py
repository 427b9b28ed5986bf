"""Contacts API: an account's contacts, relationship map and coverage; add and change
contacts; record and remove who knows them."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from bookwise.accounts.selectors import account_get
from bookwise.people.selectors import rep_get

from . import services
from .models import Contact
from .rules import Coverage
from .selectors import contact_get, relationship_map

router = Router(tags=["contacts"])


class ContactIn(Schema):
    contact_id: str = Field("", max_length=64)
    name: str = Field(..., max_length=200)
    title: str = Field("", max_length=200)
    buying_role: str
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    left: bool = False


class ContactChange(Schema):
    name: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=200)
    buying_role: str | None = None
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=50)
    left: bool | None = None


class RelationshipIn(Schema):
    strength: str


def coverage_json(cov: Coverage) -> dict[str, Any]:
    return {
        "decision_makers": cov.decision_makers,
        "decision_makers_covered": cov.decision_makers_covered,
        "coverage": None if cov.ratio is None else round(float(cov.ratio), 4),
        "contacts": cov.contacts,
        "known_by_more_than_one_rep": cov.multi_threaded,
        "single_threaded": cov.single_threaded,
        "summary": cov.sentence(),
    }


def contact_json(c: Contact, knowers: list[Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "contact_id": c.external_id,
        "account_id": c.account.external_id,
        "name": c.name,
        "title": c.title,
        "buying_role": c.buying_role,
        "email": c.email,
        "phone": c.phone,
        "left": c.left,
    }
    if knowers is not None:
        data["known_by"] = [
            {"rep_id": k.rep.external_id, "name": k.rep.name, "strength": k.strength, "source": k.source}
            for k in knowers
        ]
    return data


def _map(account: Any) -> dict[str, Any]:
    rows, cov = relationship_map(account=account, day=timezone.localdate())
    return {
        "account_id": account.external_id,
        "coverage": coverage_json(cov),
        "contacts": [contact_json(r.contact, r.knowers) for r in rows],
    }


@router.get("/accounts/{account_id}/contacts")
def account_contacts(request, account_id: str) -> dict[str, Any]:
    """The account's contacts with who knows them, and its coverage."""
    return _map(account_get(user=request.user, account_id=account_id))


@router.post("/accounts/{account_id}/contacts", response={201: dict})
def add_contact(request, account_id: str, payload: ContactIn) -> Status:
    account = account_get(user=request.user, account_id=account_id)
    contact = services.contact_create(account=account, actor=request.user, **payload.dict())
    return Status(201, contact_json(contact))


@router.put("/contacts/{contact_id}")
def change_contact(request, contact_id: str, payload: ContactChange) -> dict[str, Any]:
    contact = contact_get(user=request.user, contact_id=contact_id)
    fields = {k: v for k, v in payload.dict().items() if v is not None}
    return contact_json(services.contact_update(contact=contact, actor=request.user, **fields))


@router.put("/contacts/{contact_id}/relationships/{rep_id}")
def set_relationship(request, contact_id: str, rep_id: str, payload: RelationshipIn) -> dict[str, Any]:
    """Record how well the rep knows the contact (met, regular, strong)."""
    contact = contact_get(user=request.user, contact_id=contact_id)
    rep = rep_get(user=request.user, rep_id=rep_id)
    services.relationship_set(contact=contact, rep=rep, strength=payload.strength, actor=request.user)
    return _map(contact.account)


@router.delete("/contacts/{contact_id}/relationships/{rep_id}")
def remove_relationship(request, contact_id: str, rep_id: str) -> dict[str, Any]:
    contact = contact_get(user=request.user, contact_id=contact_id)
    rep = rep_get(user=request.user, rep_id=rep_id)
    services.relationship_remove(contact=contact, rep=rep, actor=request.user)
    return _map(contact.account)
