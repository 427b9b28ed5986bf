"""The customers' people and who knows them: two to four contacts per active account (one a
decision maker), known by the primary owner; on two accounts in three a second rep (the
secondary owner, else the owner's manager) also knows the decision maker, so the others are
single-threaded. Deterministic: one seeded generator, accounts by external id."""

from __future__ import annotations

import random
from datetime import date

from bookwise.accounts.models import Account, Ownership
from bookwise.accounts.selectors import current_q
from bookwise.contacts.models import Contact, Relationship

from ..builder.catalogue import FIRST_NAMES, LAST_NAMES

SEED = 20267
TITLES = {
    "decision_maker": ["Managing director", "Head of purchasing", "Operations director"],
    "influencer": ["Site manager", "Production lead"],
    "user": ["Warehouse supervisor", "Office manager"],
    "finance": ["Finance manager", "Controller"],
    "procurement": ["Buyer", "Procurement officer"],
}
OTHERS = ("influencer", "user", "finance", "procurement")


def _owners(today: date) -> dict[int, dict[str, tuple[int, int | None]]]:
    """account -> {role: (rep id, the rep's manager id)} now."""
    out: dict[int, dict[str, tuple[int, int | None]]] = {}
    for o in Ownership.objects.filter(current_q(today)).select_related("rep"):
        out.setdefault(o.account_id, {})[o.role] = (o.rep_id, o.rep.manager_id)
    return out


def _people(rng: random.Random, account: Account) -> list[Contact]:
    roles = ["decision_maker", *rng.sample(OTHERS, rng.randint(1, 3))]
    domain = account.external_id.lower().replace(" ", "")
    out = []
    for i, role in enumerate(roles, start=1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        out.append(Contact(
            external_id=f"{account.external_id}-C{i}", account=account, name=f"{first} {last}",
            title=rng.choice(TITLES[role]), buying_role=role,
            email=f"{first}.{last}@{domain}.example".lower(), phone=f"+44 20 7946 {rng.randint(0, 9999):04d}",
        ))  # fmt: skip
    return out


def build_contacts(today: date) -> dict[str, int]:
    rng = random.Random(SEED)
    owners = _owners(today)
    accounts = Account.objects.filter(status="active", pk__in=list(owners)).order_by("external_id")
    contacts: list[Contact] = []
    links: list[tuple[int, Contact, int, str]] = []  # (index, contact, rep, strength)
    for account in accounts:
        people = _people(rng, account)
        contacts += people
        owner, manager = owners[account.pk]["primary"]
        second = owners[account.pk].get("secondary", (manager, None))[0]
        links.append((0, people[0], owner, "strong"))
        for other in people[1:]:
            links.append((0, other, owner, rng.choice(["met", "regular"])))
        if second is not None and second != owner and rng.random() < 2 / 3:
            links.append((0, people[0], second, "met"))
    Contact.objects.bulk_create(contacts, batch_size=1000)
    rels = [Relationship(contact=c, rep_id=rep, strength=s, source="import") for _, c, rep, s in links]
    Relationship.objects.bulk_create(rels, batch_size=1000, ignore_conflicts=True)
    return {"contacts": len(contacts), "relationships": len(rels)}
