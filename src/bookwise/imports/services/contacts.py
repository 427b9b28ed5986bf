"""Import contacts.csv: the customer's people, upserted by contact_id, and who on the sales
side knows them (`known_by`: rep ids separated by `;`, each with an optional `:met`,
`:regular` or `:strong`, default met). The file's relationships replace the imported ones
of each contact; relationships entered on the page or met at a handoff are kept.
Also the export of the same format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet

from bookwise.accounts.models import Account
from bookwise.contacts.models import Contact, Relationship, Source
from bookwise.contacts.rules import STRENGTHS
from bookwise.contacts.services import PHONE
from bookwise.imports.parsers import SPECS, Rows
from bookwise.people.models import Rep

from .common import ImportReport, ParsedRow, check_duplicates, check_ref, id_map, parsed_rows

FIELDS = ("account_id", "name", "title", "buying_role", "email", "phone", "left")


def parse_known_by(raw: str | None) -> tuple[dict[str, str], list[str]]:
    """{rep id: strength} of a `known_by` cell, and its problems in words."""
    found: dict[str, str] = {}
    problems = []
    for item in (raw or "").split(";"):
        item = item.strip()
        if not item:
            continue
        rep_id, _, strength = (p.strip() for p in item.partition(":"))
        strength = strength.lower() or "met"
        if strength not in STRENGTHS:
            problems.append(f"{item!r}: {strength!r} is not one of met, regular, strong")
        elif rep_id in found:
            problems.append(f"rep {rep_id!r} appears twice")
        else:
            found[rep_id] = strength
    return found, problems


def _check_row(row: ParsedRow, accounts: dict[str, int], reps: dict[str, int], report: ImportReport) -> None:
    check_ref(row, "account_id", accounts, report, what="account")
    phone = row["phone"]
    if phone and (not PHONE.match(phone) or sum(ch.isdigit() for ch in phone) < 5):
        report.error(row.line, "phone", f"{phone!r} is not a phone number")
    known, problems = parse_known_by(row["known_by"])
    for problem in problems:
        report.error(row.line, "known_by", problem)
    for rep_id in known:
        if rep_id not in reps:
            report.error(row.line, "known_by", f"unknown rep {rep_id!r}")


def import_contacts(rows: Rows, report: ImportReport, *, today: date) -> None:
    parsed = list(parsed_rows(SPECS["contacts"], rows, report))
    accounts, reps = id_map(Account), id_map(Rep)
    check_duplicates(parsed, "contact_id", report)
    for row in parsed:
        _check_row(row, accounts, reps, report)
    if not report.ok:
        return
    have = Contact.objects.in_bulk([r["contact_id"] for r in parsed], field_name="external_id")
    for row in parsed:
        contact, changed = _upsert(row, have.get(row["contact_id"]), accounts, report)
        changed |= _relationships(contact, parse_known_by(row["known_by"])[0], reps)
        if changed and row["contact_id"] in have:
            report.updated += 1
        elif row["contact_id"] in have:
            report.unchanged += 1


def _values(row: ParsedRow, accounts: dict[str, int]) -> dict[str, Any]:
    return {
        "account_id": accounts[row["account_id"]],
        "name": row["name"],
        "title": row["title"] or "",
        "buying_role": row["buying_role"],
        "email": row["email"] or "",
        "phone": row["phone"] or "",
        "left": bool(row["left"]),
    }


def _upsert(
    row: ParsedRow, current: Contact | None, accounts: dict[str, int], report: ImportReport
) -> tuple[Contact, bool]:
    values = _values(row, accounts)
    if current is None:
        report.created += 1
        return Contact.objects.create(external_id=row["contact_id"], **values), True
    if all(getattr(current, f) == values[f] for f in FIELDS):
        return current, False
    for name, value in values.items():
        setattr(current, name, value)
    current.save()
    return current, True


def _relationships(contact: Contact, known: dict[str, str], reps: dict[str, int]) -> bool:
    """Make the contact's imported relationships those of the file; True when any changed."""
    wanted = {reps[rep_id]: strength for rep_id, strength in known.items()}
    current = {r.rep_id: r for r in Relationship.objects.filter(contact=contact)}
    changed = False
    for rep_pk, strength in wanted.items():
        rel = current.get(rep_pk)
        if rel is None:
            Relationship.objects.create(
                contact=contact, rep_id=rep_pk, strength=strength, source=Source.IMPORT
            )
            changed = True
        elif rel.strength != strength:
            rel.strength, rel.source = strength, Source.IMPORT
            rel.save(update_fields=["strength", "source", "updated_at"])
            changed = True
    stale = [r.pk for p, r in current.items() if p not in wanted and r.source == Source.IMPORT]
    Relationship.objects.filter(pk__in=stale).delete()
    return changed or bool(stale)


def export_contacts(accounts: QuerySet[Account]) -> Iterator[list[str]]:
    """contacts.csv rows of these accounts' contacts (with every recorded relationship)."""
    qs = Contact.objects.filter(account__in=accounts).select_related("account").order_by("external_id")
    known: dict[int, list[str]] = {}
    rels = Relationship.objects.filter(contact__in=qs).order_by("rep__external_id")
    for contact_id, rep_id, strength in rels.values_list("contact_id", "rep__external_id", "strength"):
        known.setdefault(contact_id, []).append(f"{rep_id}:{strength}")
    for c in qs.iterator(chunk_size=2000):
        yield [
            c.external_id, c.account.external_id, c.name, c.title, c.buying_role, c.email, c.phone,
            "yes" if c.left else "no", ";".join(known.get(c.pk, [])),
        ]  # fmt: skip
