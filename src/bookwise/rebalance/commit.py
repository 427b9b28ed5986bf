"""Commit a rebalance proposal: one transfer per line through the transfers' own workflow
(drafted, then handoff interview, introduction, co-coverage as for any transfer), all in one
transaction: all of them or none, naming the first line that blocks."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bookwise.accounts.models import AccountStatus
from bookwise.core.errors import ApplicationError, NotFound, RuleViolation
from bookwise.core.services import audit_record
from bookwise.people.models import Rep, Role
from bookwise.people.selectors import scope_for
from bookwise.transfers.models import OPEN_STATES, Transfer
from bookwise.transfers.services import open_owner, transfer_create
from bookwise.transfers.workload import WorkloadView, workload_view

from .inputs import hunter_window_days
from .models import ProposalState, RebalanceLine, RebalanceProposal
from .scopes import ELIGIBLE_ROLES, parse_scope, require_may_rebalance, scope_reps


def line_label(line: RebalanceLine) -> str:
    return f"{line.account.name} ({line.account.external_id}) from {line.from_rep.name} to {line.to_rep.name}"


def _line_problem(line: RebalanceLine, open_ids: set[int], day: date) -> str | None:
    account, rep = line.account, line.to_rep
    if account.status != AccountStatus.ACTIVE:
        return "the account is lost: remove the line"
    if account.pk in open_ids:
        return "the account already has an open transfer: remove the line"
    owner = open_owner(account, "primary")
    if owner is None or owner.pk != line.from_rep_id:
        return f"the account is no longer in {line.from_rep.name}'s book: remove the line"
    if rep.end_date is not None:
        return f"{rep.name} is leaving or has left: give the line to another rep"
    if rep.hire_date is not None and rep.hire_date > day:
        return f"{rep.name} is not yet active on {day:%Y-%m-%d}: give the line to another rep"
    return None


def _after(view: WorkloadView, lines: list[RebalanceLine]) -> dict[int, Decimal]:
    """Each rep's load once every line has moved (out and in)."""
    loads = {pk: load.points for pk, load in view.loads.items()}
    for line in lines:
        points = view.points(line.account_id)
        loads[line.from_rep_id] = loads.get(line.from_rep_id, Decimal(0)) - points
        loads[line.to_rep_id] = loads.get(line.to_rep_id, Decimal(0)) + points
    return loads


def check_lines(lines: list[RebalanceLine], day: date) -> None:
    """Refuse the commit, naming the first line (in account order) that cannot go ahead."""
    if not lines:
        raise RuleViolation("This rebalance proposal has no moves left to commit.")
    open_ids = set(
        Transfer.objects.filter(
            account_id__in=[x.account_id for x in lines], state__in=OPEN_STATES
        ).values_list("account_id", flat=True)
    )
    for line in lines:
        problem = _line_problem(line, open_ids, day)
        if problem is not None:
            raise RuleViolation(f"{line_label(line)}: {problem}.", {"account_id": line.account.external_id})
    check_capacity(lines, workload_view(day=day), day)


def check_capacity(lines: list[RebalanceLine], view: WorkloadView, day: date) -> None:
    after = _after(view, lines)
    for line in lines:
        rep = line.to_rep
        before = view.loads[rep.pk].points if rep.pk in view.loads else Decimal(0)
        if after[rep.pk] > max(Decimal(rep.capacity), before):
            raise RuleViolation(
                f"{line_label(line)}: {rep.name} would be over capacity on {day:%Y-%m-%d} "
                f"({after[rep.pk]:.2f} of {rep.capacity} points): give some of their lines to another rep.",
                {"account_id": line.account.external_id, "rep_id": rep.external_id},
            )


def _lines(proposal: RebalanceProposal) -> list[RebalanceLine]:
    qs = proposal.lines.select_related("account", "from_rep", "to_rep")
    return list(qs.order_by("account__external_id"))


@transaction.atomic
def commit(*, proposal: RebalanceProposal, effective_date: date, actor: Any) -> list[Transfer]:
    """Draft one transfer per line, effective on `effective_date`: all or none."""
    proposal = RebalanceProposal.objects.select_for_update().get(pk=proposal.pk)
    require_may_rebalance(actor, parse_scope(proposal.scope), committing=True)
    if proposal.state != ProposalState.DRAFT:
        raise RuleViolation(
            f"This rebalance proposal is {proposal.get_state_display().lower()}: it cannot be committed."
        )
    lines = _lines(proposal)
    check_lines(lines, effective_date)
    made = [_create(proposal, line, effective_date, actor) for line in lines]
    proposal.state, proposal.committed_at, proposal.effective_date = (
        ProposalState.COMMITTED,
        timezone.now(),
        effective_date,
    )
    proposal.save(update_fields=["state", "committed_at", "effective_date", "updated_at"])
    audit_record(
        actor=actor, action="rebalance.commit", obj=proposal,
        data={"effective_date": effective_date.isoformat(), "transfers": [t.pk for t in made],
              "accounts": [x.account.external_id for x in lines]},
    )  # fmt: skip
    return made


def _create(proposal: RebalanceProposal, line: RebalanceLine, day: date, actor: Any) -> Transfer:
    try:
        transfer = transfer_create(
            account=line.account, to_rep=line.to_rep, effective_date=day, reason="rebalance", actor=actor,
            note=f"Rebalance proposal {proposal.pk}: {proposal.scenario}", capacity_checked=True,
        )  # fmt: skip
    except ApplicationError as exc:  # the transaction rolls back every transfer made so far
        raise type(exc)(f"{line_label(line)}: {exc.message}", exc.extra) from exc
    line.transfer = transfer
    line.save(update_fields=["transfer", "updated_at"])
    return transfer


def _require_role_fit(proposal: RebalanceProposal, family: list[RebalanceLine], rep: Rep) -> None:
    """A hunter takes only accounts won inside the hand-over window."""
    if rep.role != Role.HUNTER:
        return
    days = hunter_window_days()
    since = proposal.day - timedelta(days=days)
    for line in family:
        won = line.account.created_date
        if won is None or won < since:
            raise RuleViolation(
                f"{rep.name} is a hunter: hunters take only accounts won in the last {days} days, "
                f"and {line.account.name} was not.",
                {"field": "to"},
            )


def check_recipient_change(
    proposal: RebalanceProposal, family: list[RebalanceLine], rep: Rep, actor: Any
) -> None:
    """The new recipient is an eligible rep of the proposal's scope that the user may see, not
    the owner, and stays within capacity with the proposal's other lines."""
    eligible = scope_reps(parse_scope(proposal.scope), proposal.day).filter(pk=rep.pk).exists()
    if not eligible or not scope_for(actor).covers(rep.pk) and not scope_for(actor).everything:
        raise NotFound("No such rep in this proposal's scope.", {"field": "to"})
    if rep.end_date is not None or rep.role not in ELIGIBLE_ROLES or rep.capacity <= 0:
        raise RuleViolation(f"{rep.name} is leaving or cannot take accounts.", {"field": "to"})
    if any(line.from_rep_id == rep.pk for line in family):
        raise RuleViolation(f"{rep.name} already owns this account.", {"field": "to"})
    _require_role_fit(proposal, family, rep)
    others = [x for x in _lines(proposal) if x.pk not in {f.pk for f in family}]
    for line in family:
        line.to_rep = rep
    check_capacity(others + family, workload_view(day=proposal.day), proposal.day)
