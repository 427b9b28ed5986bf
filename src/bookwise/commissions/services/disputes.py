"""Disputes: a rep objects to a line of their own approved statement; their manager
(anyone above them) or an admin accepts it (an adjustment in the next run) or rejects it.

The amount paid is entered as 0 or more; a clawback (money taken back) is said so
explicitly and stored negative. An amount beyond LIMIT_MULTIPLE times the line's commission
is paid only when the resolver says it is meant (`beyond_limit`), the reason saying why."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from bookwise.core.errors import Conflict, Forbidden, NotFound, RuleViolation
from bookwise.core.money import MoneyError, parse_money
from bookwise.core.services import audit_record
from bookwise.core.users import Viewer, signed_in
from bookwise.core.validation import InvalidValue, amount_not_negative, real_answer
from bookwise.people.selectors import rep_for_user, require_edits_visible, scope_for

from ..models import Dispute, DisputeStatus, RunStatus, Statement

#: an adjustment larger than this many times the disputed line's commission needs `beyond_limit`
LIMIT_MULTIPLE = 10
#: why a user who sees the statement (the rep's managers, an admin) may not dispute it (a 403)
DISPUTE_REFUSED = "Only the statement's rep may dispute its lines; their managers resolve the dispute."
#: why a user who sees the dispute (the statement's rep) may not resolve it (a 403)
RESOLVE_REFUSED = "Only the rep's managers or an admin resolve a dispute."
#: why sales ops, who see every statement and dispute, may neither raise nor resolve one (a 403)
SALES_OPS_DISPUTES = (
    "Sales operations read every statement and dispute; the statement's rep raises a dispute and "
    "their managers resolve it."
)


def can_resolve(user: Viewer | None, dispute: Dispute) -> bool:
    """Admins, and anyone above the statement's rep (not the rep; not sales ops)."""
    scope = scope_for(user)
    if scope.admin:
        return True
    me = rep_for_user(user)
    rep_id = dispute.statement.rep_id
    return me is not None and me.id != rep_id and scope.may_change(rep_id)


@transaction.atomic
def dispute_open(*, statement: Statement, order_id: str, comment: str, actor: Viewer | None) -> Dispute:
    """Only the statement's rep disputes, only lines of an approved statement."""
    require_edits_visible(actor, SALES_OPS_DISPUTES)
    me = rep_for_user(actor)
    if me is None or me.id != statement.rep_id:  # who sees the statement (a manager): the reason
        raise Forbidden(DISPUTE_REFUSED)
    if statement.run.status != RunStatus.APPROVED:
        raise RuleViolation("Only lines of an approved run can be disputed.")
    if not any(line[0] == order_id for line in statement.lines):
        raise NotFound(f"No line {order_id} on this statement.")
    comment = real_answer(comment, "Comment", field="comment")
    if statement.disputes.filter(order_id=order_id, status=DisputeStatus.OPEN).exists():
        raise Conflict("This line already has an open dispute.")
    try:
        with transaction.atomic():  # the unique index decides between two at once
            dispute = Dispute.objects.create(
                statement=statement, order_id=order_id, comment=comment, raised_by=signed_in(actor)
            )
    except IntegrityError:
        raise Conflict("This line already has an open dispute.") from None
    audit_record(actor=actor, action="commissions.dispute.open", obj=dispute, data={"order_id": order_id})
    return dispute


def line_commission(statement: Statement, order_id: str) -> Decimal:
    """The commission the statement pays on the disputed order (its lines summed)."""
    return sum((Decimal(line[5]) for line in statement.lines if line[0] == order_id), Decimal("0.00"))


def check_amount(
    amount: Decimal | None, *, commission: Decimal, clawback: bool, beyond_limit: bool
) -> Decimal:
    """The adjustment an acceptance pays: an amount of 0 or more in whole cents (a clawback
    is entered the same way and stored negative), within LIMIT_MULTIPLE x the line's
    commission unless `beyond_limit` says it is meant."""
    if amount is None:
        raise InvalidValue("Amount", "accepting needs the amount to pay as an adjustment.", "amount")
    try:
        value = parse_money(format(amount, "f"))
    except MoneyError as exc:
        raise InvalidValue("Amount", f"{exc}.", "amount") from None
    amount_not_negative(value, "Amount", "amount")
    limit = LIMIT_MULTIPLE * abs(commission)
    if value > limit and not beyond_limit:
        what = f"{LIMIT_MULTIPLE} times the line's commission of {commission:,.2f} ({limit:,.2f})"
        hint = "tick “More than the limit is meant” and say why in the reason"
        raise InvalidValue("Amount", f"{value:,.2f} is more than {what}; {hint}.", "amount")
    return -value if clawback else value


@transaction.atomic
def dispute_resolve(
    *,
    dispute: Dispute,
    actor: Viewer | None,
    accept: bool,
    reason: str = "",
    amount: Decimal | None = None,
    clawback: bool = False,
    beyond_limit: bool = False,
) -> Dispute:
    """Accept (the amount is paid, or with `clawback` taken back, as an adjustment in the next
    run) or reject; either way with a reason that says something."""
    require_edits_visible(actor, SALES_OPS_DISPUTES)
    dispute = Dispute.objects.select_for_update().select_related("statement").get(pk=dispute.pk)
    if not can_resolve(actor, dispute):  # who sees it (the rep who raised it): the reason
        raise Forbidden(RESOLVE_REFUSED)
    if dispute.status != DisputeStatus.OPEN:
        raise Conflict("This dispute is already resolved.")
    reason = real_answer(reason, "Reason", field="reason")
    paid = None
    if accept:
        commission = line_commission(dispute.statement, dispute.order_id)
        paid = check_amount(amount, commission=commission, clawback=clawback, beyond_limit=beyond_limit)
    dispute.status = DisputeStatus.ACCEPTED if accept else DisputeStatus.REJECTED
    dispute.amount = paid
    dispute.resolution = reason
    dispute.resolved_by = signed_in(actor)
    dispute.resolved_at = timezone.now()
    dispute.save()
    data = {"status": dispute.status, "amount": None if paid is None else str(paid), "reason": reason}
    audit_record(actor=actor, action="commissions.dispute.resolve", obj=dispute, data=data)
    return dispute
