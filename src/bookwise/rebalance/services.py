"""Writes of rebalancing: propose (one proposal per scenario), edit a proposal line by line,
discard, commit as transfers (transfers.services, one transaction), pin accounts out of
realignment. Everything is audited."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import visible_accounts
from bookwise.core.errors import Forbidden, NotFound, RuleViolation
from bookwise.core.services import audit_record
from bookwise.core.validation import real_answer
from bookwise.people.models import Rep

from . import inputs as inputs_mod
from .models import ProposalState, RealignmentPin, RebalanceLine, RebalanceProposal
from .problem import Settings, evaluate
from .scopes import Scope, may_decide_rebalance, require_may_rebalance
from .solve import Result, solve

DEFAULT_TIME_LIMIT = 20.0
NOTE_CHARS = 300  # RealignmentPin.note


@dataclass(frozen=True)
class Scenario:
    name: str
    settings: Settings


def scenario_name(config: Settings) -> str:
    moves = "unlimited moves" if config.max_moves is None else f"up to {config.max_moves} moves"
    return f"{moves[:1].upper()}{moves[1:]}, tolerance {config.tolerance:.0%}"


Progress = Callable[[int, int], None]  # (scenarios solved, scenarios in all)


def propose(
    *, scope: Scope, day: date, scenarios: list[Settings], actor: Any, split: bool = False,
    time_limit: float = DEFAULT_TIME_LIMIT, batch: str | None = None, progress: Progress | None = None,
) -> list[RebalanceProposal]:  # fmt: skip
    """Solve each scenario on the same input, then keep them all as draft proposals in one
    transaction (all or none). Given a `batch` that was already stored (a queued solve run
    again), its proposals are returned and nothing is solved twice."""
    require_may_rebalance(actor, scope)
    batch = batch or uuid.uuid4().hex
    done = list(RebalanceProposal.objects.filter(batch=batch).order_by("id"))
    if done:
        return done
    data = inputs_mod.build(scope, day, scenarios[0], split)
    solved = []
    for number, config in enumerate(scenarios, start=1):
        problem = type(data.problem)(reps=data.problem.reps, units=data.problem.units, settings=config)
        solved.append((config, problem, solve(problem, time_limit=time_limit)))
        if progress is not None:
            progress(number, len(scenarios))
    with transaction.atomic():
        return [_store(scope, day, config, batch, data, problem, result, actor, split)
                for config, problem, result in solved]  # fmt: skip


def _rep_rows(data: inputs_mod.Inputs) -> list[dict[str, Any]]:
    current = data.problem.current_loads()
    revenue = {s.id: s.fixed_revenue for s in data.problem.reps}
    potential = {s.id: s.fixed_potential for s in data.problem.reps}
    for unit in data.problem.units:
        revenue[unit.owner] += unit.revenue
        potential[unit.owner] += unit.potential
    rows = []
    for slot in data.problem.reps:
        rep = data.reps[slot.id]
        rows.append(
            {
                "rep_id": rep.external_id, "name": rep.name, "capacity": rep.capacity,
                "load": round(current[slot.id], 2), "leaving": slot.leaving,
                "revenue": round(revenue[slot.id], 2), "potential": round(potential[slot.id], 2),
            }
        )  # fmt: skip
    return sorted(rows, key=lambda r: r["name"])


def _store(scope, day, config, batch, data, problem, result: Result, actor, split) -> RebalanceProposal:  # noqa: ANN001
    data.problem = problem
    options = {**config.__dict__, "split_families": split}
    proposal = RebalanceProposal.objects.create(
        scope=scope.text, scope_label=scope.label, scenario=scenario_name(config), batch=batch, day=day,
        options=options, created_by=actor if getattr(actor, "is_authenticated", False) else None,
        objective=result.objective, bound=result.bound, gap=result.gap, bound_kind=result.bound_kind,
        method=result.method, status=result.status, seconds=result.seconds,
        greedy_objective=result.greedy_objective, nothing_objective=result.nothing_objective,
        target=data.problem.target(), reps=_rep_rows(data), left_out=data.left_out,
    )  # fmt: skip
    units = {u.id: u for u in data.problem.units}
    lines = []
    for unit_id, rep_pk in result.assignment.items():
        unit = units[unit_id]
        if rep_pk == unit.owner:
            continue
        head = data.accounts[unit_id].external_id
        for pk in data.units[unit_id]:
            lines.append(
                _line(proposal, data, pk, unit.owner, rep_pk, unit.cost / len(data.units[unit_id]), head)
            )
    RebalanceLine.objects.bulk_create(lines)
    ev = evaluate(data.problem, result.assignment)
    audit_record(
        actor=actor, action="rebalance.propose", obj=proposal,
        data={"scope": scope.text, "scenario": proposal.scenario, "moves": ev.moves,
              "objective": result.objective},
    )  # fmt: skip
    return proposal


def _line(proposal, data, pk: int, owner: int, to: int, cost: float, head: str) -> RebalanceLine:  # noqa: ANN001
    points = Decimal(str(data.view.points(pk))).quantize(Decimal("0.01"))
    return RebalanceLine(
        proposal=proposal, account_id=pk, from_rep_id=owner, to_rep_id=to, points=points, cost=cost, unit=head
    )


def require_draft(proposal: RebalanceProposal) -> None:
    if proposal.state != ProposalState.DRAFT:
        raise RuleViolation(
            f"This rebalance proposal is {proposal.get_state_display().lower()}: it cannot change."
        )


def _scope_of(proposal: RebalanceProposal) -> Scope:
    from .scopes import parse_scope

    return parse_scope(proposal.scope)


@transaction.atomic
def line_remove(*, line: RebalanceLine, actor: Any) -> int:
    """Take a move out of the proposal (with the rest of its family): they stay with their owner."""
    proposal = RebalanceProposal.objects.select_for_update().get(pk=line.proposal_id)
    require_may_rebalance(actor, _scope_of(proposal))
    require_draft(proposal)
    family = proposal.lines.filter(unit=line.unit) if line.unit else proposal.lines.filter(pk=line.pk)
    accounts = sorted(family.values_list("account__external_id", flat=True))
    count, _ = family.delete()
    audit_record(
        actor=actor, action="rebalance.remove_line", obj=proposal,
        data={"accounts": accounts, "from": _who(line.from_rep), "to": _who(line.to_rep)},
    )  # fmt: skip
    return count


def _who(rep: Rep) -> str:
    return f"{rep.name} ({rep.external_id})"


@transaction.atomic
def line_reassign(*, line: RebalanceLine, to_rep: Rep, actor: Any) -> RebalanceLine:
    """Give a move (and its family) to another rep of the scope, if the rules and capacity allow."""
    from .commit import check_recipient_change

    proposal = RebalanceProposal.objects.select_for_update().get(pk=line.proposal_id)
    require_may_rebalance(actor, _scope_of(proposal))
    require_draft(proposal)
    family = list(proposal.lines.filter(unit=line.unit) if line.unit else proposal.lines.filter(pk=line.pk))
    check_recipient_change(proposal, family, to_rep, actor)
    before = _who(line.to_rep)
    RebalanceLine.objects.filter(pk__in=[x.pk for x in family]).update(to_rep=to_rep, edited=True)
    audit_record(
        actor=actor, action="rebalance.edit_line", obj=proposal,
        data={"accounts": [x.account.external_id for x in family], "before": {"to": before},
              "after": {"to": _who(to_rep)}},
    )  # fmt: skip
    line.refresh_from_db()
    return line


@transaction.atomic
def discard(*, proposal: RebalanceProposal, actor: Any, confirmed: bool) -> RebalanceProposal:
    if not confirmed:
        raise RuleViolation("Tick “I confirm: discard this proposal” to discard it.", {"field": "confirm"})
    proposal = RebalanceProposal.objects.select_for_update().get(pk=proposal.pk)
    require_may_rebalance(actor, _scope_of(proposal))
    require_draft(proposal)
    proposal.state = ProposalState.DISCARDED
    proposal.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action="rebalance.discard", obj=proposal, data={"scenario": proposal.scenario})
    return proposal


def require_may_pin(actor: Any, account: Account) -> None:
    """Whoever may rebalance the account's book: directors and administrators any account, a
    sales manager their team's (another's is a NotFound); reps, sales ops and others Forbidden. `actor`
    None is the command line without --as."""
    if actor is None:
        return
    if not visible_accounts(user=actor).filter(pk=account.pk).exists():
        raise NotFound("No such account.", {"field": "account_id"})
    if not may_decide_rebalance(actor):
        raise Forbidden("Only managers, directors and administrators pin accounts out of realignment.")


def pin(*, account: Account, note: str, actor: Any) -> RealignmentPin:
    """Keep `account` with its owner in every rebalance (audited)."""
    require_may_pin(actor, account)
    note = real_answer(note, "Why it stays", field="note")
    if len(note) > NOTE_CHARS:
        message = f"Why it stays: at most {NOTE_CHARS} characters ({len(note)} given)."
        raise RuleViolation(message, {"field": "note"})
    made, _ = RealignmentPin.objects.update_or_create(
        account=account,
        defaults={"note": note, "pinned_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    audit_record(actor=actor, action="rebalance.pin", obj=made, account=account, data={"note": note})
    return made


def unpin(*, account: Account, actor: Any) -> None:
    require_may_pin(actor, account)
    removed, _ = RealignmentPin.objects.filter(account=account).delete()
    if removed:
        audit_record(actor=actor, action="rebalance.unpin", obj=account, account=account, data={})
