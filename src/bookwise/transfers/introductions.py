"""The handoff interview's contact step: per contact of the account, has the incoming rep been
introduced? Key contacts (decision makers) need an answer (introduced, not yet, or waived
with a reason) before the transfer can be completed, unless the whole interview is waived.
The introduction step records which contacts met the new rep: each becomes known by them
("met"), so the account's coverage moves with it (docs/transfers.md, "Key contacts")."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from bookwise.accounts.models import Account
from bookwise.contacts.models import Contact
from bookwise.contacts.rules import DECISION_MAKER
from bookwise.contacts.selectors import knowers_of
from bookwise.contacts.services import record_introduction
from bookwise.core.errors import Forbidden, RuleViolation
from bookwise.core.users import Viewer
from bookwise.core.validation import InvalidValue, real_answer

from .auditing import audit_transfer
from .models import HandoffInterview, InterviewContact, IntroductionAnswer, Transfer
from .permissions import can_edit_interview, require_read

ANSWERS = dict(IntroductionAnswer.choices)


def contacts_text(account: Account, day: date) -> str:
    """The key-contacts section pre-filled: each active contact, their role and who knows them."""
    contacts = list(Contact.objects.filter(account=account, left=False).order_by("name"))
    if not contacts:
        return ""
    knowers = knowers_of(contacts, day)
    from bookwise.people.models import Rep

    reps = Rep.objects.in_bulk({r for k in knowers.values() for r in k})
    lines = []
    for c in contacts:
        known = ", ".join(f"{reps[r].name} ({s})" for r, (s, _) in knowers.get(c.pk, {}).items())
        title = f", {c.title}" if c.title else ""
        lines.append(
            f"- {c.name}{title} ({c.get_buying_role_display().lower()}): known by {known or 'nobody'}"
        )
    return "\n".join(lines)


def sync_contacts(interview: HandoffInterview) -> list[InterviewContact]:
    """The interview's contact rows: one per active contact of the account (made for contacts
    added since the handoff started), key = a decision maker; answered rows of contacts who
    left since are kept."""
    have = {row.contact_id: row for row in interview.contact_answers.all()}
    for c in Contact.objects.filter(account_id=interview.account_id, left=False):
        if c.pk not in have:
            have[c.pk] = InterviewContact.objects.create(
                interview=interview, contact=c, key=c.buying_role == DECISION_MAKER
            )
        elif have[c.pk].key != (c.buying_role == DECISION_MAKER):
            have[c.pk].key = c.buying_role == DECISION_MAKER
            have[c.pk].save(update_fields=["key", "updated_at"])
    rows = interview.contact_answers.select_related("contact").order_by("-key", "contact__name")
    return [r for r in rows if not r.contact.left or r.introduced]


def unanswered_key_contacts(transfer: Transfer) -> list[str]:
    """The names of the key contacts without an answer on introduction ([] when the interview
    is waived or there is no interview)."""
    if transfer.interview_waived:
        return []
    interview = HandoffInterview.objects.filter(transfer=transfer).first()
    if interview is None:
        return []
    return [r.contact.name for r in sync_contacts(interview) if r.key and not r.introduced]


def require_key_contacts(transfer: Transfer, step: str) -> None:
    missing = unanswered_key_contacts(transfer)
    if missing:
        raise RuleViolation(
            f"Key contacts without an answer on introduction: {', '.join(missing)}. Say whether "
            f"{transfer.to_rep.name} has been introduced to each (or waive it with a reason) before {step}.",
            {"field": "contacts", "missing_contacts": missing},
        )


def _clean_answer(row: InterviewContact, answer: str, reason: str) -> tuple[str, str]:
    label = f"Introduced to {row.contact.name}"
    if answer not in ANSWERS and answer != "":
        raise InvalidValue(
            label, f"{answer!r} is not one of yes, no, waived.", f"contacts.{row.contact.external_id}"
        )
    if answer == IntroductionAnswer.WAIVED:
        reason = real_answer(
            reason, f"Waiver reason for {row.contact.name}", field=f"contacts.{row.contact.external_id}"
        )
        return answer, reason
    return answer, ""


@transaction.atomic
def interview_contacts_update(
    *, transfer: Transfer, actor: Viewer | None, answers: dict[str, tuple[str, str]]
) -> list[InterviewContact]:
    """Save the answers {contact id: (yes | no | waived | "", waiver reason)}; an unknown
    contact id is refused, naming it; nothing is saved unless every answer is valid."""
    require_read(actor, transfer)
    if not can_edit_interview(actor, transfer):
        raise Forbidden("Only the outgoing rep, the account's managers or an admin may edit the interview.")
    if transfer.state not in ("handoff", "introduced"):
        raise RuleViolation(
            "The handoff interview can be edited only while the handoff is open.", {"field": "contacts"}
        )
    interview = HandoffInterview.objects.get(transfer=transfer)
    rows = {r.contact.external_id: r for r in sync_contacts(interview)}
    unknown = sorted(set(answers) - set(rows))
    if unknown:
        raise InvalidValue("Contact", f"{', '.join(unknown)} is not a contact of this account.", "contacts")
    changed = {}
    for contact_id, (answer, reason) in answers.items():
        row = rows[contact_id]
        answer, reason = _clean_answer(row, (answer or "").strip(), reason)
        if (row.introduced, row.waiver_reason) != (answer, reason):
            changed[contact_id] = {"before": row.introduced, "after": answer, "reason": reason}
            row.introduced, row.waiver_reason = answer, reason
            row.save(update_fields=["introduced", "waiver_reason", "updated_at"])
    if changed:
        audit_transfer(transfer, actor, "interview_contacts", contacts=changed)
    return list(rows.values())


def record_met(transfer: Transfer, actor: Viewer | None, contact_ids: list[str]) -> list[Contact]:
    """At the introduction: these contacts (ids of the account's active contacts) met the
    incoming rep; they become known by them and their answer becomes "introduced"."""
    wanted = list(dict.fromkeys(c.strip() for c in contact_ids if c and c.strip()))
    if not wanted:
        return []
    found = {
        c.external_id: c for c in Contact.objects.filter(account=transfer.account, external_id__in=wanted)
    }
    unknown = [c for c in wanted if c not in found or found[c].left]
    if unknown:
        raise InvalidValue(
            "Contacts who met the new rep",
            f"{', '.join(unknown)} is not a current contact of this account.",
            "contacts_met",
        )
    contacts = [found[c] for c in wanted]
    record_introduction(contacts=contacts, rep=transfer.to_rep, actor=actor)
    interview = HandoffInterview.objects.filter(transfer=transfer).first()
    if interview is not None:
        sync_contacts(interview)
        interview.contact_answers.filter(contact__in=contacts).update(
            introduced=IntroductionAnswer.YES, waiver_reason=""
        )
    return contacts
