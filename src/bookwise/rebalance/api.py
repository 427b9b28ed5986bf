"""Rebalance API: propose scenarios, read a proposal, edit its moves, discard, commit."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema

from bookwise.accounts.selectors import account_get
from bookwise.core.errors import Forbidden, NotFound, RuleViolation
from bookwise.core.paging import ApiDate
from bookwise.people.selectors import rep_get

from . import services
from .commit import commit
from .models import RebalanceLine, RebalanceProposal
from .options import scenario_settings
from .scopes import may_rebalance_any, parse_scope
from .selectors import pins_for, proposal_get, proposal_json, proposals_for

router = Router(tags=["rebalance"])
MAX_SCENARIOS = 5


class ScenarioIn(Schema):
    max_moves: int | str | None = None
    max_moves_per_rep: int | str | None = None
    tolerance: float | str = 0.10
    keep_territory: str = "off"
    max_revenue_moved: int | float | str | None = None  # revenue of the last 12 months, at most
    balance: str | None = None  # also balance "revenue" or "potential" (a hard band per rep)
    balance_tolerance: float | str = 0.15  # within 15 % of each rep's target


class ProposeIn(Schema):
    scope: str = Field(..., max_length=200)
    scenarios: list[ScenarioIn] = Field(default_factory=lambda: [ScenarioIn()])
    split_families: bool = False


class RecipientIn(Schema):
    to: str = Field(..., max_length=64)


class CommitIn(Schema):
    effective_date: ApiDate
    confirm: bool = False


class ConfirmIn(Schema):
    confirm: bool = False


@router.post("/rebalance/proposals", response=list[dict])
def propose(request: Any, payload: ProposeIn) -> list[dict[str, Any]]:
    """One draft rebalance proposal per scenario, solved on the same input."""
    if not 1 <= len(payload.scenarios) <= MAX_SCENARIOS:
        raise RuleViolation(f"Scenarios: give 1 to {MAX_SCENARIOS} scenarios.", {"field": "scenarios"})
    scope = parse_scope(payload.scope)
    configs = [scenario_settings(**s.dict()) for s in payload.scenarios]
    made = services.propose(
        scope=scope,
        day=timezone.localdate(),
        scenarios=configs,
        actor=request.user,
        split=payload.split_families,
    )
    return [proposal_json(p) for p in made]


@router.get("/rebalance/proposals", response=list[dict])
def proposal_list(request: Any) -> list[dict[str, Any]]:
    return [
        {
            "proposal_id": p.pk,
            "scope": p.scope,
            "scenario": p.scenario,
            "state": p.state,
            "day": p.day.isoformat(),
        }
        for p in proposals_for(user=request.user)
    ]


@router.get("/rebalance/proposals/{proposal_id}", response=dict)
def proposal_detail(request: Any, proposal_id: int) -> dict[str, Any]:
    return proposal_json(proposal_get(user=request.user, proposal_id=proposal_id))


def _line(request: Any, proposal_id: int, account_id: str) -> tuple[RebalanceProposal, RebalanceLine]:
    proposal = proposal_get(user=request.user, proposal_id=proposal_id)
    line = proposal.lines.filter(account__external_id=account_id).select_related("from_rep", "to_rep").first()
    if line is None:
        raise NotFound("This rebalance proposal does not move that account.", {"field": "account_id"})
    return proposal, line


@router.delete("/rebalance/proposals/{proposal_id}/lines/{account_id}", response=dict)
def line_remove(request: Any, proposal_id: int, account_id: str) -> dict[str, Any]:
    """Take the move out (with its family): the accounts stay with their owner."""
    proposal, line = _line(request, proposal_id, account_id)
    services.line_remove(line=line, actor=request.user)
    return proposal_json(proposal)


@router.put("/rebalance/proposals/{proposal_id}/lines/{account_id}", response=dict)
def line_reassign(request: Any, proposal_id: int, account_id: str, payload: RecipientIn) -> dict[str, Any]:
    proposal, line = _line(request, proposal_id, account_id)
    try:
        rep = rep_get(user=request.user, rep_id=payload.to)
    except NotFound:
        raise NotFound("No such rep in this proposal's scope.", {"field": "to"}) from None
    services.line_reassign(line=line, to_rep=rep, actor=request.user)
    return proposal_json(proposal)


@router.post("/rebalance/proposals/{proposal_id}/discard", response=dict)
def discard(request: Any, proposal_id: int, payload: ConfirmIn) -> dict[str, Any]:
    proposal = proposal_get(user=request.user, proposal_id=proposal_id)
    services.discard(proposal=proposal, actor=request.user, confirmed=payload.confirm)
    return proposal_json(proposal_get(user=request.user, proposal_id=proposal_id))


@router.post("/rebalance/proposals/{proposal_id}/commit", response=dict)
def commit_proposal(request: Any, proposal_id: int, payload: CommitIn) -> dict[str, Any]:
    """Draft every move's transfer on the effective date: all of them or none (irreversible:
    `confirm` must be true)."""
    proposal = proposal_get(user=request.user, proposal_id=proposal_id)
    if not payload.confirm:
        raise RuleViolation(
            "Confirm: committing creates the transfers; send confirm: true.", {"field": "confirm"}
        )
    made = commit(proposal=proposal, effective_date=payload.effective_date, actor=request.user)
    return {
        **proposal_json(proposal_get(user=request.user, proposal_id=proposal_id)),
        "transfers": [t.pk for t in made],
    }


class RealignmentPinIn(Schema):
    note: str = Field(..., max_length=300, description="Why the account stays with its owner")


def _rebalancer(request: Any) -> None:
    if not may_rebalance_any(request.user):
        raise Forbidden("Only managers, directors and administrators pin accounts out of realignment.")


@router.get("/rebalance/pins", response=list[dict])
def pin_list(request: Any) -> list[dict[str, Any]]:
    """The accounts kept with their owner by every rebalance, among those the user sees."""
    _rebalancer(request)
    return pins_for(user=request.user)


@router.put("/rebalance/pins/{account_id}", response=dict)
def pin_account(request: Any, account_id: str, payload: RealignmentPinIn) -> dict[str, Any]:
    """Pin an account out of realignment (or change why): it stays with its owner."""
    account = account_get(user=request.user, account_id=account_id)
    services.pin(account=account, note=payload.note, actor=request.user)
    return next(p for p in pins_for(user=request.user) if p["account_id"] == account.external_id)


@router.delete("/rebalance/pins/{account_id}", response=dict)
def unpin_account(request: Any, account_id: str) -> dict[str, Any]:
    account = account_get(user=request.user, account_id=account_id)
    services.unpin(account=account, actor=request.user)
    return {"account_id": account.external_id, "pinned": False}
