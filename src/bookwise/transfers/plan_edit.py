"""Review of a stored mass-reassignment plan: reassign or remove lines, discard, apply.

Every check uses the plan's effective date's view of tiers and workload (the one it was
proposed with). Apply creates every line's transfer in one transaction, or none, and names
the line (account and recipient) that blocks it. Every change is audited."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bookwise.accounts.models import AccountStatus
from bookwise.core.errors import ApplicationError, Forbidden, RuleViolation
from bookwise.core.services import audit_record
from bookwise.core.users import Viewer, signed_in
from bookwise.people.models import Rep
from bookwise.people.selectors import scope_for
from bookwise.people.services import rep_label

from .models import OPEN_STATES, PlanLine, PlanState, ReassignmentPlan, Transfer
from .permissions import can_manage_for
from .recommend import candidate_reps, exclusion
from .services import open_owner, transfer_create
from .workload import WorkloadView, workload_view

EXCLUSION_TEXT = {
    "left": "has left",
    "leaving": "is leaving",
    "inactive": "is not yet active on the effective date",
    "no_capacity": "has no capacity",
}


def require_draft(plan: ReassignmentPlan, actor: Viewer | None) -> None:
    if not can_manage_for(actor, plan.from_rep):
        raise Forbidden("Only the rep's managers or an admin may change this plan.")
    if plan.state != PlanState.DRAFT:
        raise RuleViolation(f"This plan is {plan.get_state_display().lower()}; it can no longer change.")


def eligible_recipients(plan: ReassignmentPlan, user: Viewer | None) -> list[Rep]:
    """Reps the user may give this plan's accounts to, by name (the picker's options)."""
    reps = [r for r in candidate_reps(user) if r.pk != plan.from_rep_id]
    return sorted((r for r in reps if exclusion(r, plan.effective_date) is None), key=lambda r: r.name)


def _refuse_recipient(plan: ReassignmentPlan, rep: Rep, actor: Viewer | None) -> None:
    # first whether the actor may give them accounts at all, so nothing is said of another
    # team's rep (their name, their leaving date) that the actor could not see otherwise
    if all(r.pk != rep.pk for r in candidate_reps(actor)):
        raise RuleViolation(f"{rep.name} is not among the reps you may give accounts to.", {"field": "to"})
    if rep.pk == plan.from_rep_id:
        raise RuleViolation(f"{rep.name}'s book is the one being handed over.", {"field": "to"})
    reason = exclusion(rep, plan.effective_date)
    if reason is not None:
        raise RuleViolation(f"{rep.name} {EXCLUSION_TEXT[reason]}.", {"field": "to"})


def _load_after(view: WorkloadView, lines: list[PlanLine], rep: Rep) -> Decimal:
    base = view.loads[rep.pk].points if rep.pk in view.loads else Decimal(0)
    return base + sum((view.points(x.account_id) for x in lines if x.to_rep_id == rep.pk), Decimal(0))


@transaction.atomic
def plan_line_update(*, line: PlanLine, to_rep: Rep | None, actor: Viewer | None) -> PlanLine:
    """Give the line's account to `to_rep`; refused (nothing changes) when the rep may not
    take it or would end over capacity with this plan's accounts."""
    plan = ReassignmentPlan.objects.select_for_update().select_related("from_rep").get(pk=line.plan_id)
    require_draft(plan, actor)
    if to_rep is None:
        raise RuleViolation("Pick the rep who takes the account, or remove the line.", {"field": "to"})
    _refuse_recipient(plan, to_rep, actor)
    view = workload_view(day=plan.effective_date)
    lines = [x for x in plan.lines.all() if x.pk != line.pk]
    after = _load_after(view, lines, to_rep) + view.points(line.account_id)
    if after > to_rep.capacity:
        raise RuleViolation(
            f"{to_rep.name} would be over capacity on {plan.effective_date:%Y-%m-%d} with this plan's "
            f"accounts ({after:.2f} of {to_rep.capacity} points); {line.account.name} was not moved.",
            {"field": "to"},
        )
    before = rep_label(line.to_rep)
    line.to_rep, line.edited, line.score, line.points = to_rep, True, None, view.points(line.account_id)
    line.save(update_fields=["to_rep", "edited", "score", "points", "updated_at"])
    audit_record(
        actor=actor,
        action="plan.edit",
        obj=plan,
        data={
            "account": line.account.external_id,
            "to": to_rep.external_id,
            "before": {"recipient": before},
            "after": {"recipient": rep_label(to_rep)},
        },
    )
    return line


def _who(actor: Viewer | None) -> str:
    user = signed_in(actor)
    if user is None:
        return "a command"
    return user.get_full_name() or user.get_username()


@transaction.atomic
def plan_line_remove(*, line: PlanLine, actor: Viewer | None) -> None:
    """Take the account out of the plan (it stays with its owner); listed as left out."""
    plan = ReassignmentPlan.objects.select_for_update().select_related("from_rep").get(pk=line.plan_id)
    require_draft(plan, actor)
    account = line.account
    line.delete()
    reason = f"removed from the plan by {_who(actor)}"
    plan.excluded = [
        *plan.excluded,
        {"account_id": account.external_id, "name": account.name, "reason": reason},
    ]
    plan.save(update_fields=["excluded", "updated_at"])
    audit_record(actor=actor, action="plan.remove_line", obj=plan, data={"account": account.external_id})


@transaction.atomic
def plan_discard(*, plan: ReassignmentPlan, actor: Viewer | None) -> ReassignmentPlan:
    plan = ReassignmentPlan.objects.select_for_update().select_related("from_rep").get(pk=plan.pk)
    require_draft(plan, actor)
    plan.state = PlanState.DISCARDED
    plan.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action="plan.discard", obj=plan, data={"from": plan.from_rep.external_id})
    return plan


def line_label(line: PlanLine) -> str:
    to = line.to_rep.name if line.to_rep else "nobody"
    return f"{line.account.name} ({line.account.external_id}) to {to}"


def _line_problem(plan: ReassignmentPlan, line: PlanLine, open_accounts: dict[int, Transfer]) -> str | None:
    account = line.account
    if line.to_rep is None:
        return "no recipient yet: pick one or remove the line"
    if account.status == AccountStatus.LOST:
        return f"the account was lost on {account.lost_date:%Y-%m-%d}: remove the line"
    if account.pk in open_accounts:
        t = open_accounts[account.pk]
        return f"the account already has an open transfer to {t.to_rep.name}: remove the line"
    owner = open_owner(account, "primary")
    if owner is None or owner.pk != plan.from_rep_id:
        return f"the account is no longer in {plan.from_rep.name}'s book: remove the line"
    reason = exclusion(line.to_rep, plan.effective_date)
    return None if reason is None else f"{line.to_rep.name} {EXCLUSION_TEXT[reason]}: pick another rep"


def check_lines(plan: ReassignmentPlan, lines: list[PlanLine], view: WorkloadView) -> None:
    """Refuse the plan, naming the first line that cannot be applied as it stands."""
    if not lines:
        raise RuleViolation("This plan has no accounts left to transfer.")
    transfers = Transfer.objects.filter(
        account_id__in=[x.account_id for x in lines], role="primary", state__in=OPEN_STATES
    ).select_related("to_rep")
    open_accounts = {t.account_id: t for t in transfers}
    added: dict[int, Decimal] = {}
    for line in lines:
        problem = _line_problem(plan, line, open_accounts)
        if problem is not None:
            raise RuleViolation(f"{line_label(line)}: {problem}.", {"account_id": line.account.external_id})
        rep = line.to_rep
        assert rep is not None  # _line_problem refused a line without recipient
        added[rep.pk] = added.get(rep.pk, Decimal(0)) + view.points(line.account_id)
        base = view.loads[rep.pk].points if rep.pk in view.loads else Decimal(0)
        if base + added[rep.pk] > rep.capacity:
            raise RuleViolation(
                f"{line_label(line)}: {rep.name} would be over capacity on {plan.effective_date:%Y-%m-%d} "
                f"({base + added[rep.pk]:.2f} of {rep.capacity} points): move or remove some of their lines.",
                {"account_id": line.account.external_id, "rep_id": rep.external_id},
            )


@transaction.atomic
def plan_apply(*, plan: ReassignmentPlan, actor: Viewer | None) -> list[Transfer]:
    """Draft every line's transfer in one transaction: all of them, or none."""
    plan = ReassignmentPlan.objects.select_for_update().select_related("from_rep").get(pk=plan.pk)
    require_draft(plan, actor)
    lines = list(plan.lines.select_related("account", "to_rep").order_by("account__external_id"))
    require_recipients_in_scope(lines, actor)
    check_lines(plan, lines, workload_view(day=plan.effective_date))
    transfers = [_create(plan, line, actor) for line in lines]
    plan.state, plan.applied_at = PlanState.APPLIED, timezone.now()
    plan.save(update_fields=["state", "applied_at", "updated_at"])
    audit_record(
        actor=actor,
        action="plan.apply",
        obj=plan,
        data={"transfers": [t.pk for t in transfers], "accounts": [x.account.external_id for x in lines]},
    )
    return transfers


def require_recipients_in_scope(lines: list[PlanLine], actor: Viewer | None) -> None:
    """A manager applies only lines to reps of their own team (transfers.permissions); a plan
    a director proposed across teams says which line needs a director (the plan already shows
    every recipient to whoever may apply it, so naming them reveals nothing)."""
    scope = scope_for(actor)
    for line in lines:
        if line.to_rep is not None and not scope.may_change(line.to_rep_id):
            raise Forbidden(
                f"{line_label(line)}: {line.to_rep.name} is in another team; give the line to a rep "
                "of your team, or ask a director or an administrator to apply the plan."
            )


def _create(plan: ReassignmentPlan, line: PlanLine, actor: Viewer | None) -> Transfer:
    assert line.to_rep is not None  # check_lines refused a line without recipient
    try:
        return transfer_create(
            account=line.account,
            to_rep=line.to_rep,
            effective_date=plan.effective_date,
            reason=plan.reason,
            actor=actor,
            plan=plan,
            capacity_checked=True,  # check_lines checked the whole batch with the plan's view
        )
    except ApplicationError as exc:  # the transaction rolls back every transfer made so far
        raise type(exc)(f"{line_label(line)}: {exc.message}", exc.extra) from exc


def effective_default(rep: Rep, today: date) -> date:
    """The day after a leaving rep's last day, else today."""
    if rep.end_date is not None and rep.end_date >= today:
        return rep.end_date + timedelta(days=1)
    return today
