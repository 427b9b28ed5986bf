"""Writes: create, edit, change the status of, renew and expire agreements; every change is
audited (`agreement.create`, `.update`, `.status`; `.import` for a file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bookwise.accounts.models import Account
from bookwise.core.errors import Conflict, RuleViolation
from bookwise.core.services import audit_changes, audit_record
from bookwise.people.models import Rep
from bookwise.people.selectors import require_edits_visible, scope_for

from .checks import problems, refuse
from .models import TRANSITIONS, Agreement, AgreementKind

#: the fields an edit may change (the status changes through `agreement_set_status`)
EDITABLE = (
    "kind", "start_date", "end_date", "committed_amount", "committed_quantity", "product_line",
    "include_subsidiaries", "price_terms", "notice_days", "owner", "document_ref",
)  # fmt: skip

REQUIRED = ("kind", "start_date", "end_date", "committed_amount", "product_line", "include_subsidiaries",
            "price_terms", "notice_days", "document_ref")  # fmt: skip


@dataclass
class AgreementInput:
    external_id: str
    kind: str
    start_date: date
    end_date: date
    committed_amount: Decimal
    owner: Rep | None = None
    committed_quantity: Decimal | None = None
    product_line: str = ""
    include_subsidiaries: bool = False
    price_terms: str = ""
    notice_days: int = 90
    document_ref: str = ""
    status: str = "draft"
    renews: Agreement | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def snapshot(a: Agreement) -> dict[str, Any]:
    """The audited view of an agreement: values as text, people by name and id."""
    return {
        "kind": a.kind, "start_date": a.start_date.isoformat(), "end_date": a.end_date.isoformat(),
        "committed_amount": f"{a.committed_amount:.2f}",
        "committed_quantity": None if a.committed_quantity is None else str(a.committed_quantity),
        "product_line": a.product_line, "include_subsidiaries": a.include_subsidiaries,
        "price_terms": a.price_terms, "notice_days": a.notice_days,
        "owner": f"{a.owner.name} ({a.owner.external_id})" if a.owner else None,
        "status": a.status, "document_ref": a.document_ref,
        "renews": a.renews.external_id if a.renews else None,
    }  # fmt: skip


def _check(a: Agreement, today: date, actor: Any) -> None:
    if a.kind not in AgreementKind.values:
        refuse([("kind", f"{a.kind!r} is not one of {', '.join(AgreementKind.values)}")])
    values = {
        "agreement_id": a.external_id, "start_date": a.start_date, "end_date": a.end_date,
        "committed_amount": a.committed_amount, "committed_quantity": a.committed_quantity,
        "notice_days": a.notice_days, "price_terms": a.price_terms, "document_ref": a.document_ref,
    }  # fmt: skip
    refuse(problems(values, today))
    if len(a.product_line) > 120:
        refuse([("product_line", "longer than 120 characters")])
    if a.owner is not None and actor is not None and not scope_for(actor).may_change(a.owner_id):
        refuse([("owner_id", f"{a.owner.external_id} is not in your team")])
    if a.renews is not None and a.renews.account_id != a.account_id:
        refuse([("renews_id", f"{a.renews.external_id} is an agreement of another account")])


@transaction.atomic
def agreement_create(*, account: Account, data: AgreementInput, actor: Any, today: date) -> Agreement:
    """A new agreement (draft or active) of `account`; an active renewal marks the agreement
    it renews as renewed. Not by sales ops (they import agreements)."""
    require_edits_visible(actor)
    if data.status not in ("draft", "active"):
        refuse([("status", f"a new agreement is draft or active, not {data.status!r}")])
    if Agreement.objects.filter(external_id=data.external_id).exists():
        raise Conflict(f"Agreement id: {data.external_id} already exists.", {"field": "agreement_id"})
    values = {k: v for k, v in vars(data).items() if k != "extra"}
    agreement = Agreement(account=account, **values)
    _check(agreement, today, actor)
    agreement.save()
    audit_record(actor=actor, action="agreement.create", obj=agreement, data={"after": snapshot(agreement)})
    if agreement.status == "active":
        _renew_predecessor(agreement, actor)
    return agreement


@transaction.atomic
def agreement_update(*, agreement: Agreement, changes: dict[str, Any], actor: Any, today: date) -> Agreement:
    """Change the EDITABLE fields given in `changes`; audited with the fields before and after.
    Not by sales ops (they import agreements)."""
    require_edits_visible(actor)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise RuleViolation(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    emptied = [name for name in REQUIRED if name in changes and changes[name] is None]
    if emptied:
        refuse([(emptied[0], "required; it cannot be emptied")])
    locked = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("account", "owner", "renews")
        .get(pk=agreement.pk)
    )
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    _check(locked, today, actor)
    old, new = audit_changes(before, snapshot(locked))
    if new:
        locked.save()
        audit_record(actor=actor, action="agreement.update", obj=locked, data={"before": old, "after": new})
    return locked


def _set_status(
    agreement: Agreement, status: str, actor: Any, reason: str = "", today: date | None = None
) -> None:
    before = agreement.status
    if status == "expired" and today is not None and agreement.end_date >= today:
        raise Conflict(
            f"Status: {agreement.external_id} runs until {agreement.end_date.isoformat()}; "
            "it expires after that.",
            {"field": "status", "status": before},
        )
    if status not in TRANSITIONS.get(before, ()):
        allowed = ", ".join(TRANSITIONS.get(before, ())) or "nothing (it is final)"
        raise Conflict(
            f"Status: a {before} agreement cannot become {status} (it may become {allowed}).",
            {"field": "status", "status": before},
        )
    agreement.status = status
    agreement.save(update_fields=["status", "updated_at"])
    data: dict[str, Any] = {"before": {"status": before}, "after": {"status": status}}
    if reason:
        data["reason"] = reason
    audit_record(actor=actor, action="agreement.status", obj=agreement, data=data)


def _renew_predecessor(agreement: Agreement, actor: Any) -> None:
    previous = agreement.renews
    if previous is not None and previous.status in ("active", "expired"):
        _set_status(previous, "renewed", actor, reason=f"renewed by {agreement.external_id}")


@transaction.atomic
def agreement_set_status(
    *, agreement: Agreement, status: str, actor: Any, today: date | None = None
) -> Agreement:
    """Move the agreement along its lifecycle (TRANSITIONS); audited. Activating a renewal
    marks the agreement it renews as renewed. Not by sales ops."""
    require_edits_visible(actor)
    locked = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("account", "owner", "renews")
        .get(pk=agreement.pk)
    )
    _set_status(locked, status, actor, today=today or timezone.localdate())
    if status == "active":
        _renew_predecessor(locked, actor)
    return locked


@transaction.atomic
def agreements_expire_due(*, day: date) -> list[str]:
    """Active agreements whose end date has passed become expired (by the system; audited)."""
    due = list(
        Agreement.objects.select_for_update(of=("self",))
        .filter(status="active", end_date__lt=day)
        .select_related("account")
    )
    for agreement in due:
        _set_status(agreement, "expired", None, reason=f"ended on {agreement.end_date.isoformat()}")
    return [a.external_id for a in due]
