"""Writes of the transfer workflow: draft -> handoff -> introduced -> completed (or cancelled).

Every step is audited; completion writes the ownership history in one transaction with
row locks (the transfer, the account and its open assignment), so of two concurrent
completions for the same account exactly one wins and the other gets a Conflict."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookwise.accounts.frozen import check_not_frozen
from bookwise.accounts.models import Account, Ownership
from bookwise.accounts.services import ownership_assign
from bookwise.core.errors import Conflict, Forbidden, RuleViolation
from bookwise.core.users import Viewer, signed_in
from bookwise.core.validation import real_answer
from bookwise.people.models import Rep

from . import rules
from .auditing import audit_backdate, audit_transfer
from .coverage import co_cover
from .introductions import contacts_text, record_met, require_key_contacts, sync_contacts
from .models import (
    ONE_OPEN_TRANSFER,
    OPEN_STATES,
    REQUIRED_SECTIONS,
    HandoffInterview,
    ReassignmentPlan,
    Transfer,
)
from .notifications import notify
from .permissions import (
    START_REFUSED,
    can_edit_interview,
    can_manage_for,
    require_manage,
    require_may_start,
    require_read,
    require_recipient,
)
from .selectors import interview_prefill


def open_owner(account: Account, role: str) -> Rep | None:
    held = Ownership.objects.filter(account=account, role=role, end_date__isnull=True).select_related("rep")
    first = held.first()
    return first.rep if first else None


def _coverage_days(role: str, from_rep: Rep | None, requested: int | None) -> int:
    """The co-coverage of a new transfer: the requested days or the default (primary with
    an owner still employed), and none unless it is a primary transfer with an owner."""
    if requested is not None:
        days = requested
    elif role != "primary" or from_rep is None or from_rep.end_date is not None:
        days = 0
    else:
        default: Any = settings.BOOKWISE.get("co_coverage_days", 90)
        days = int(default)
    return max(0, int(days)) if role == "primary" and from_rep else 0


def _check_request(reason: str, role: str, co_coverage_days: int | None) -> None:
    """The draft's own fields: a real reason, a known role, a co-coverage in range."""
    rules.check_reason(reason)
    if role not in ("primary", "secondary"):
        raise RuleViolation(f"Role: {role!r} is not a role (choose primary or secondary).", {"field": "role"})
    if co_coverage_days is not None:
        rules.check_co_coverage(co_coverage_days)


def _check_parties(
    actor: Viewer | None, account: Account, role: str, from_rep: Rep | None, to_rep: Rep
) -> None:
    """Who may hand the account to whom, and no other open transfer of that ownership."""
    require_may_start(actor, from_rep)
    require_recipient(actor, to_rep)  # before any rule that would name the rep or their load
    if not can_manage_for(actor, from_rep, to_rep):  # an account without owner: above the recipient
        raise Forbidden(START_REFUSED)
    if from_rep is not None and from_rep.pk == to_rep.pk:
        raise RuleViolation(f"{to_rep.name} already owns this account.", {"field": "to"})
    if Transfer.objects.filter(account=account, role=role, state__in=OPEN_STATES).exists():
        raise _already_open(account)


@transaction.atomic
def transfer_create(
    *,
    account: Account,
    to_rep: Rep,
    effective_date: date,
    reason: str,
    actor: Viewer | None,
    role: str = "primary",
    co_coverage_days: int | None = None,
    note: str = "",
    plan: ReassignmentPlan | None = None,
    capacity_checked: bool = False,
    backdate_reason: str = "",
    today: date | None = None,
) -> Transfer:
    """Draft a transfer of `account` (its `role` ownership) to `to_rep`. The effective date
    must lie in the window around `today` (rules.window); an administrator may back-date it
    further with `backdate_reason` (audited)."""
    _check_request(reason, role, co_coverage_days)
    backdated = rules.check_effective_date(
        effective_date, today=today or timezone.localdate(), actor=actor, backdate_reason=backdate_reason
    )
    check_not_frozen(effective_date)
    from_rep = open_owner(account, role)
    _check_parties(actor, account, role, from_rep, to_rep)
    rules.check_recipient(
        account=account, to_rep=to_rep, role=role, day=effective_date, capacity=not capacity_checked
    )
    created_by = signed_in(actor)
    transfer = _insert_open(
        Transfer(
            account=account, role=role, from_rep=from_rep, to_rep=to_rep, effective_date=effective_date,
            reason=reason, note=note, created_by=created_by, plan=plan,
            co_coverage_days=_coverage_days(role, from_rep, co_coverage_days),
        )
    )  # fmt: skip
    _audit_created(transfer, actor, backdated)
    notify(transfer, "created", actor)
    return transfer


def _audit_created(transfer: Transfer, actor: Viewer | None, backdated: str) -> None:
    day = transfer.effective_date.isoformat()
    audit_transfer(transfer, actor, "create", effective_date=day, reason=transfer.reason, role=transfer.role)
    if backdated:
        audit_backdate(transfer, actor, backdated)


def _already_open(account: Account) -> Conflict:
    return Conflict(f"Account {account.external_id} already has an open transfer.", {"field": "account"})


def _insert_open(transfer: Transfer) -> Transfer:
    """Save a new open transfer; the database's unique index on the open transfer per
    account and role decides between two drafts at once, the loser getting the same
    Conflict as a draft that found the other one already there."""
    try:
        with transaction.atomic():
            transfer.save(force_insert=True)
    except IntegrityError as error:
        if ONE_OPEN_TRANSFER not in str(error) and "transfers_transfer.account_id" not in str(error):
            raise
        raise _already_open(transfer.account) from None
    return transfer


def _lock(transfer: Transfer, *states: str) -> Transfer:
    locked = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("account", "from_rep", "to_rep")
        .get(pk=transfer.pk)
    )
    if locked.state not in states:
        raise Conflict(
            f"This transfer is {locked.get_state_display().lower()}; it cannot do that now.",
            {"state": locked.state},
        )
    return locked


@transaction.atomic
def transfer_start_handoff(*, transfer: Transfer, actor: Viewer | None, day: date | None = None) -> Transfer:
    """draft -> handoff: opens the handoff interview, pre-filled from orders and opportunities."""
    require_manage(actor, transfer)
    transfer = _lock(transfer, "draft")
    transfer.state = "handoff"
    transfer.save(update_fields=["state", "updated_at"])
    day = day or timezone.localdate()
    prefill = interview_prefill(account=transfer.account, day=day)
    prefill["key_contacts"] = contacts_text(transfer.account, day)
    interview, _ = HandoffInterview.objects.get_or_create(
        transfer=transfer,
        defaults={"account": transfer.account, "outgoing_rep": transfer.from_rep, **prefill},
    )
    sync_contacts(interview)
    audit_transfer(transfer, actor, "handoff")
    notify(transfer, "handoff", actor)
    return transfer


@transaction.atomic
def interview_update(
    *, transfer: Transfer, actor: Viewer | None, today: date | None = None, **fields: Any
) -> HandoffInterview:
    """Save sections of the interview (outgoing rep, the managers or an admin): its date
    happened and not before the transfer was drafted; a filled required section is a real
    answer (rules.clean_interview). Once the client is introduced the interview is locked:
    a change is an amendment (audited with before and after) and a required section cannot
    be emptied (rules.interview_amendment)."""
    require_read(actor, transfer)
    if not can_edit_interview(actor, transfer):
        raise Forbidden("Only the outgoing rep, the account's managers or an admin may edit the interview.")
    transfer = _lock(transfer, "handoff", "introduced")
    interview = HandoffInterview.objects.select_for_update().get(transfer=transfer)
    cleaned = rules.clean_interview(fields, transfer, today or timezone.localdate())
    amendment = rules.interview_amendment(interview, cleaned) if transfer.state != "handoff" else None
    for name, value in cleaned.items():
        setattr(interview, name, value)
    if not rules.interview_missing(interview):
        interview.submitted_at = interview.submitted_at or timezone.now()
    interview.save()
    if amendment is None:
        audit_transfer(transfer, actor, "interview", sections=sorted(fields))
    elif amendment["after"]:
        audit_transfer(transfer, actor, "interview_amend", **amendment)
    return interview


@transaction.atomic
def transfer_waive_interview(*, transfer: Transfer, actor: Viewer | None, reason: str) -> Transfer:
    """A manager lets the transfer leave handoff without the interview (e.g. a departed rep)."""
    require_manage(actor, transfer)
    reason = real_answer(reason, "Waiver reason", field="waiver_reason")
    transfer = _lock(transfer, "draft", "handoff")
    transfer.interview_waived = True
    transfer.waiver_reason = reason
    transfer.save(update_fields=["interview_waived", "waiver_reason", "updated_at"])
    audit_transfer(transfer, actor, "waive", reason=transfer.waiver_reason)
    return transfer


def missing_interview_sections(transfer: Transfer) -> list[str]:
    """The required sections of the interview without a real answer ([] when waived)."""
    if transfer.interview_waived:
        return []
    interview = HandoffInterview.objects.filter(transfer=transfer).first()
    return list(REQUIRED_SECTIONS) if interview is None else rules.interview_missing(interview)


def _require_interview(transfer: Transfer, step: str) -> None:
    missing = missing_interview_sections(transfer)
    if missing:
        raise RuleViolation(
            f"The handoff interview is incomplete: {rules.missing_labels(missing)}. Answer these "
            f"(or have a manager waive the interview) before {step}.",
            {"missing": missing, "field": "interview"},
        )


@transaction.atomic
def transfer_introduce(
    *,
    transfer: Transfer,
    actor: Viewer | None,
    meeting_date: date,
    attendees: str = "",
    notes: str = "",
    today: date | None = None,
    contacts_met: list[str] | None = None,
) -> Transfer:
    """handoff -> introduced: the client met the new rep (on a day that has happened, not
    before the transfer was drafted). Needs the interview (or a waiver). `contacts_met`: the
    ids of the contacts who met the new rep (they become known by them)."""
    require_manage(actor, transfer)
    transfer = _lock(transfer, "handoff")
    day = today or timezone.localdate()
    rules.check_event_date(meeting_date, "Meeting date", transfer, day, "meeting_date")
    _require_interview(transfer, "recording the introduction")
    transfer.state = "introduced"
    transfer.introduction_date = meeting_date
    transfer.introduction_attendees = attendees.strip()
    transfer.introduction_notes = notes.strip()
    transfer.save()
    met = record_met(transfer, actor, contacts_met or [])
    audit_transfer(
        transfer,
        actor,
        "introduce",
        meeting_date=meeting_date.isoformat(),
        attendees=attendees,
        contacts_met=[c.name for c in met],
    )
    notify(transfer, "introduced", actor)
    return transfer


def _check_completion(
    transfer: Transfer, actor: Viewer | None, backdate_reason: str, today: date | None
) -> None:
    """The interview, the effective date's window (an administrator's back-dating audited)
    and no approved commission run over it."""
    _require_interview(transfer, "completing the transfer")
    require_key_contacts(transfer, "completing the transfer")
    backdated = rules.check_effective_date(
        transfer.effective_date,
        today=today or timezone.localdate(),
        actor=actor,
        backdate_reason=backdate_reason,
        confirmed=rules.backdate_confirmed(transfer),
    )
    check_not_frozen(transfer.effective_date)  # a run approved since the drafting freezes it
    if backdated:
        audit_backdate(transfer, actor, backdated)


def _hand_over(transfer: Transfer, actor: Viewer | None) -> None:
    """Assign the (locked) account to the incoming rep, still owned by the outgoing one."""
    account = Account.objects.select_for_update().get(pk=transfer.account_id)
    owner = open_owner(account, transfer.role)
    if (owner.pk if owner else None) != transfer.from_rep_id:
        raise Conflict(
            f"Account {account.external_id} changed owner since this transfer was drafted; "
            "cancel it and start a new one.",
            {"owner": owner.external_id if owner else None},
        )
    to_rep = Rep.objects.get(pk=transfer.to_rep_id)
    rules.check_recipient(account=account, to_rep=to_rep, role=transfer.role, day=transfer.effective_date)
    ownership_assign(
        account=account,
        rep=to_rep,
        start=transfer.effective_date,
        role=transfer.role,
        reason=transfer.reason,
        actor=actor,
    )


@transaction.atomic
def transfer_complete(
    *, transfer: Transfer, actor: Viewer | None, backdate_reason: str = "", today: date | None = None
) -> Transfer:
    """introduced -> completed: writes the ownership history (locked; one winner). Refused
    while the interview is incomplete, when the effective date reaches into a period whose
    commission run is approved (accounts.frozen), and when the effective date is now further back than
    the window unless an administrator confirmed it (at drafting, or now with a reason)."""
    require_manage(actor, transfer)
    transfer = _lock(transfer, "introduced")
    _check_completion(transfer, actor, backdate_reason, today)
    _hand_over(transfer, actor)
    if transfer.co_coverage_days > 0:
        transfer.co_coverage_end = transfer.effective_date + timedelta(days=transfer.co_coverage_days - 1)
    coverage = co_cover(transfer, actor) if transfer.role == "primary" else "none"
    transfer.state = "completed"
    transfer.completed_at = timezone.now()
    transfer.save()
    audit_transfer(
        transfer, actor, "complete", effective_date=transfer.effective_date.isoformat(), co_coverage=coverage
    )
    notify(transfer, "completed", actor)
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, actor: Viewer | None, reason: str = "") -> Transfer:
    """An open transfer stops; the reason is required and a real answer."""
    require_manage(actor, transfer)
    reason = real_answer(reason, "Cancellation reason", field="reason")
    transfer = _lock(transfer, *OPEN_STATES)
    transfer.state = "cancelled"
    transfer.cancel_reason = reason
    transfer.save(update_fields=["state", "cancel_reason", "updated_at"])
    audit_transfer(transfer, actor, "cancel", reason=transfer.cancel_reason)
    notify(transfer, "cancelled", actor)
    return transfer
