"""Disputes: a rep objects to a line of their own approved statement; their manager
(anyone above them) or an admin accepts it (an adjustment in the next run) or rejects it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bookwise.core.errors import Conflict, NotFound, RuleViolation
from bookwise.core.services import audit_record
from bookwise.people.selectors import rep_for_user, scope_for

from ..models import Dispute, DisputeStatus, RunStatus, Statement


def can_resolve(user: Any, dispute: Dispute) -> bool:
    scope = scope_for(user)
    if scope.admin:
        return True
    me = rep_for_user(user)
    rep_id = dispute.statement.rep_id
    return me is not None and me.id != rep_id and scope.covers(rep_id)


@transaction.atomic
def dispute_open(*, statement: Statement, order_id: str, comment: str, actor: Any) -> Dispute:
    """Only the statement's rep disputes, only lines of an approved statement."""
    me = rep_for_user(actor)
    if me is None or me.id != statement.rep_id:
        raise NotFound("No such statement.")
    if statement.run.status != RunStatus.APPROVED:
        raise RuleViolation("Only lines of an approved run can be disputed.")
    if not any(line[0] == order_id for line in statement.lines):
        raise NotFound(f"No line {order_id} on this statement.")
    if not comment.strip():
        raise RuleViolation("Say what is wrong with the line.", {"field": "comment"})
    if statement.disputes.filter(order_id=order_id, status=DisputeStatus.OPEN).exists():
        raise Conflict("This line already has an open dispute.")
    dispute = Dispute.objects.create(
        statement=statement, order_id=order_id, comment=comment.strip(), raised_by=actor
    )
    audit_record(actor=actor, action="commissions.dispute.open", obj=dispute, data={"order_id": order_id})
    return dispute


@transaction.atomic
def dispute_resolve(
    *, dispute: Dispute, actor: Any, accept: bool, reason: str = "", amount: Decimal | None = None
) -> Dispute:
    """Accept (the amount is paid as an adjustment in the next run) or reject with a reason."""
    dispute = Dispute.objects.select_for_update().select_related("statement").get(pk=dispute.pk)
    if not can_resolve(actor, dispute):
        raise NotFound("No such dispute.")
    if dispute.status != DisputeStatus.OPEN:
        raise Conflict("This dispute is already resolved.")
    if not accept and not reason.strip():
        raise RuleViolation("A rejection needs a reason.", {"field": "reason"})
    if accept and amount is None:
        raise RuleViolation("Accepting needs the amount to pay as an adjustment.", {"field": "amount"})
    if accept and amount != amount.quantize(Decimal("0.01")):  # type: ignore[union-attr]
        raise RuleViolation("The amount must be in whole cents.", {"field": "amount"})
    dispute.status = DisputeStatus.ACCEPTED if accept else DisputeStatus.REJECTED
    dispute.amount = amount if accept else None
    dispute.resolution = reason.strip()
    dispute.resolved_by = actor
    dispute.resolved_at = timezone.now()
    dispute.save()
    data = {
        "status": dispute.status,
        "amount": None if amount is None else str(amount),
        "reason": dispute.resolution,
    }
    audit_record(actor=actor, action="commissions.dispute.resolve", obj=dispute, data=data)
    return dispute
