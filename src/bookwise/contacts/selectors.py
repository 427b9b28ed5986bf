"""Reads of contacts and relationships: the relationship map and coverage of accounts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from django.db.models import Q

from bookwise.accounts.models import Account, Activity
from bookwise.accounts.selectors import visible_accounts
from bookwise.people.models import Rep

from . import rules
from .models import Contact, Relationship

ACTIVITY_DAYS = 730  # a relationship from activities looks back 24 months


class ContactRow(NamedTuple):
    """What the coverage needs of a contact, without building the model object."""

    pk: int
    account_id: int
    name: str
    buying_role: str
    left: bool


ContactLike = Contact | ContactRow


@dataclass(frozen=True)
class Knower:
    rep: Rep
    strength: str
    source: str  # manual, import, introduction, activities

    @property
    def strength_label(self) -> str:
        return self.strength.capitalize()


@dataclass(frozen=True)
class MapRow:
    contact: Contact
    knowers: list[Knower]


def current_rep_q(day: date, prefix: str = "") -> Q:
    """Reps still employed on `day` (no end date, or ending on or after it)."""
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})


def activity_strengths(contacts: Iterable[ContactLike], day: date) -> dict[int, dict[int, str]]:
    """contact id -> {rep id -> strength} from the days in the 24 months to `day` on which a
    current rep logged time on the contact's account with a note naming them."""
    by_account: dict[int, list[ContactLike]] = defaultdict(list)
    for c in contacts:
        by_account[c.account_id].append(c)
    if not by_account:
        return {}
    entries = (
        Activity.objects.filter(account_id__in=list(by_account), date__lte=day)
        .filter(date__gt=day - timedelta(days=ACTIVITY_DAYS))
        .filter(current_rep_q(day, "rep__"))
        .exclude(note="")
        .values_list("account_id", "rep_id", "date", "note")
    )
    days: dict[tuple[int, int], set[date]] = defaultdict(set)
    for account_id, rep_id, when, note in entries:
        for c in by_account[account_id]:
            if rules.names_contact(note, c.name):
                days[(c.pk, rep_id)].add(when)
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for (contact_id, rep_id), seen in days.items():
        strength = rules.strength_from_days(len(seen))
        if strength:
            found[contact_id][rep_id] = strength
    return found


def knowers_of(contacts: Sequence[ContactLike], day: date) -> dict[int, dict[int, tuple[str, str]]]:
    """contact id -> {current rep id -> (strength, source)}: recorded relationships and those
    from activities, the stronger of the two (activities named as the source when stronger)."""
    out: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    ids = [c.pk for c in contacts]
    rels = Relationship.objects.filter(contact_id__in=ids).filter(current_rep_q(day, "rep__"))
    for contact_id, rep_id, strength, source in rels.values_list(
        "contact_id", "rep_id", "strength", "source"
    ):
        out[contact_id][rep_id] = (strength, source)
    for contact_id, reps in activity_strengths(contacts, day).items():
        for rep_id, strength in reps.items():
            have = out[contact_id].get(rep_id)
            if have is None or rules.stronger(have[0], strength) != have[0]:
                out[contact_id][rep_id] = (strength, "activities")
    return out


def _facts(
    contacts: Sequence[ContactLike], knowers: dict[int, dict[int, tuple[str, str]]]
) -> list[rules.ContactFacts]:
    return [
        rules.ContactFacts(
            c.pk, c.buying_role, c.left, {rep: s for rep, (s, _) in knowers.get(c.pk, {}).items()}
        )
        for c in contacts
    ]


def account_contacts(*, account: Account) -> list[Contact]:
    return list(Contact.objects.filter(account=account).order_by("left", "name", "id"))


def relationship_map(*, account: Account, day: date) -> tuple[list[MapRow], rules.Coverage]:
    """Each contact of the account (active first) with who knows them, and the coverage."""
    contacts = account_contacts(account=account)
    knowers = knowers_of(contacts, day)
    rep_ids = {rep for reps in knowers.values() for rep in reps}
    reps = Rep.objects.in_bulk(rep_ids)
    rows = [
        MapRow(
            c,
            sorted(
                (Knower(reps[r], s, src) for r, (s, src) in knowers.get(c.pk, {}).items()),
                key=lambda k: (-rules.STRENGTH_RANK[k.strength], k.rep.name),
            ),
        )
        for c in contacts
    ]
    return rows, rules.coverage(_facts(contacts, knowers))


def coverage_for(
    *, account_ids: Iterable[int], day: date, decision_makers_only: bool = False
) -> dict[int, rules.Coverage]:
    """account id -> its coverage, for the accounts that have contacts (`decision_makers_only`:
    read only their decision makers, enough for the single-threaded flag)."""
    contacts_qs = Contact.objects.filter(account_id__in=list(account_ids))
    if decision_makers_only:
        contacts_qs = contacts_qs.filter(buying_role=rules.DECISION_MAKER, left=False)
    fields = ("pk", "account_id", "name", "buying_role", "left")
    contacts = [ContactRow(*row) for row in contacts_qs.order_by().values_list(*fields)]
    knowers = knowers_of(contacts, day)
    by_account: dict[int, list[ContactLike]] = defaultdict(list)
    for c in contacts:
        by_account[c.account_id].append(c)
    return {aid: rules.coverage(_facts(cs, knowers)) for aid, cs in by_account.items()}


@dataclass(frozen=True)
class ThreadRisk:
    account: Account
    rep: Rep
    coverage: rules.Coverage


def single_threaded(*, user: Any, day: date) -> list[ThreadRisk]:
    """The accounts the user may see whose decision makers are known through one rep only."""
    visible = visible_accounts(user=user, day=day)
    with_dms = visible.filter(contacts__buying_role=rules.DECISION_MAKER, contacts__left=False).distinct()
    accounts = {a.pk: a for a in with_dms}
    risky = {
        aid: cov for aid, cov in coverage_for(account_ids=accounts, day=day).items() if cov.single_threaded
    }
    reps = Rep.objects.in_bulk({next(iter(cov.dm_reps)) for cov in risky.values()})
    rows = [ThreadRisk(accounts[aid], reps[next(iter(cov.dm_reps))], cov) for aid, cov in risky.items()]
    return sorted(rows, key=lambda r: (r.account.name, r.account.external_id))


def relationship_weights(*, account_ids: Iterable[int], day: date) -> dict[int, dict[int, float]]:
    """account id -> {rep id -> the weight of their relationships with its active contacts}:
    met 1, regular 2, strong 3, a decision maker's counting double (the recommendation's
    history part, docs/transfers.md)."""
    contacts = list(Contact.objects.filter(account_id__in=list(account_ids), left=False))
    knowers = knowers_of(contacts, day)
    weights: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for c in contacts:
        factor = 2 if c.buying_role == rules.DECISION_MAKER else 1
        for rep_id, (strength, _) in knowers.get(c.pk, {}).items():
            weights[c.account_id][rep_id] += factor * rules.STRENGTH_RANK[strength]
    return {account: dict(reps) for account, reps in weights.items()}


def contact_get(*, user: Any, contact_id: str) -> Contact:
    """One contact of an account the user may see; NotFound otherwise (no leak)."""
    from bookwise.core.errors import NotFound

    contact = Contact.objects.select_related("account").filter(external_id=contact_id).first()
    if contact is None or not visible_accounts(user=user).filter(pk=contact.account_id).exists():
        raise NotFound("No such contact.")
    return contact
