"""Mass reassignment of a whole book (a leaving rep's or a manager's): propose a plan with the
optimiser and keep it for review. Editing and applying are in plan_edit.py.

Proposing, checking and applying use one view of tiers and workload: the plan's effective
date's (workload.workload_view). Accounts that cannot move with the plan (lost, or with an
open transfer) are left out and listed with the reason."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, NotRequired, TypedDict

from django.conf import settings
from django.db import transaction

from bookwise.accounts.models import Account, AccountStatus
from bookwise.accounts.selectors import held_on
from bookwise.core.dates import trailing_12_months
from bookwise.core.errors import Forbidden
from bookwise.core.services import audit_record
from bookwise.core.users import Viewer, signed_in
from bookwise.core.validation import date_near_today
from bookwise.people.models import Rep
from bookwise.retention.selectors import revenue_between

from . import optimiser, rules
from .balance import DEFAULT_TOLERANCE, optimise_balanced
from .history import history_facts
from .models import OPEN_STATES, PlanLine, ReassignmentPlan, Transfer
from .permissions import PLAN_REFUSED, can_manage_for
from .recommend import Context, build_context, exclusion, relation_index, score_all
from .workload import WorkloadView, make_load, workload_view


def book_of(rep: Rep, day: date) -> list[Account]:
    ids = held_on(day, rep_ids=[rep.pk]).values("account_id")
    return list(Account.objects.filter(id__in=ids).order_by("external_id"))


def tolerance_setting() -> float:
    value: Any = settings.BOOKWISE.get("plan_balance_tolerance", DEFAULT_TOLERANCE)
    return float(value)


def left_out(accounts: list[Account]) -> dict[int, str]:
    """account pk -> why it cannot move with a plan: lost, or an open transfer already."""
    reasons = {a.pk: f"lost on {a.lost_date:%Y-%m-%d}" for a in accounts if a.status == AccountStatus.LOST}
    open_transfers = Transfer.objects.filter(
        account__in=accounts, role="primary", state__in=OPEN_STATES
    ).select_related("to_rep")
    for t in open_transfers:
        reasons.setdefault(
            t.account_id, f"open transfer to {t.to_rep.name} ({t.get_state_display().lower()})"
        )
    return reasons


@dataclass
class Proposal:
    """A computed plan, with the database objects the JSON and the stored plan are made of."""

    from_rep: Rep
    day: date
    effective_date: date
    view: WorkloadView
    accounts: list[Account]  # the ones planned
    excluded: list[dict[str, str]]
    candidates: dict[int, Rep]
    result: optimiser.Solution


def _context(user: Viewer | None, day: date, view: WorkloadView, effective: date) -> Context:
    """The recommendation context with the effective date's tiers, loads and eligibility."""
    ctx = build_context(user=user, day=day, tiers=dict(view.tiers))
    for rid, facts in ctx.facts.items():
        if rid in view.loads:
            ctx.facts[rid] = replace(facts, points=view.loads[rid].points)
    ctx.excluded = {rid: reason for rid, r in ctx.reps.items() if (reason := exclusion(r, effective))}
    return ctx


def propose(
    *, from_rep: Rep, user: Viewer | None, day: date, effective_date: date | None = None, top_k: int = 5,
    tolerance: float | None = None,
) -> Proposal:  # fmt: skip
    effective = effective_date or day
    view = workload_view(day=effective)
    book = book_of(from_rep, day)
    reasons = left_out(book)
    accounts = [a for a in book if a.pk not in reasons]
    excluded = [
        {"account_id": a.external_id, "name": a.name, "reason": reasons[a.pk]}
        for a in book
        if a.pk in reasons
    ]
    ctx = _context(user, day, view, effective)
    index = relation_index(ctx.holdings)
    skip = {from_rep.pk}
    eligible = [rid for rid in ctx.reps if rid not in ctx.excluded and rid not in skip]
    history = history_facts([a.pk for a in accounts], eligible, day)
    scores = {
        a.pk: [(rid, s.total) for rid, s in score_all(ctx, a, index, skip, history).items()] for a in accounts
    }
    problem = optimiser.Problem(
        accounts=[optimiser.Item(a.pk, float(view.points(a.pk))) for a in accounts],
        reps=[
            optimiser.Slot(rid, float(ctx.facts[rid].capacity), float(ctx.facts[rid].points))
            for rid in eligible
        ],
        scores=scores,
        top_k=top_k,
    )
    result = optimise_balanced(problem, tolerance_setting() if tolerance is None else tolerance)
    candidates = {rid: ctx.reps[rid] for rid in eligible}
    return Proposal(from_rep, day, effective, view, accounts, excluded, candidates, result)


class RecipientRow(TypedDict):
    """A recipient of a plan: accounts, their T12M revenue, load before and after."""

    rep: Rep
    accounts: int
    revenue: Decimal
    before: Decimal  # points
    capacity: int
    added: NotRequired[Decimal]
    after: NotRequired[Decimal]
    utilisation_before: NotRequired[Decimal | None]
    utilisation_after: NotRequired[Decimal | None]


def recipient_summary(
    view: WorkloadView, moves: list[tuple[Account, Rep]], revenue: dict[int, Decimal]
) -> list[RecipientRow]:
    """Per recipient: accounts, their T12M revenue, load before and after (points, ratio)."""
    rows: dict[int, RecipientRow] = {}
    for account, rep in moves:
        load = view.loads.get(rep.pk) or make_load(rep.pk, Decimal(0), rep.capacity)
        row = rows.setdefault(
            rep.pk,
            {
                "rep": rep,
                "accounts": 0,
                "revenue": Decimal(0),
                "before": load.points,
                "capacity": load.capacity,
            },
        )
        row["accounts"] += 1
        row["revenue"] += revenue.get(account.pk, Decimal(0))
        row["added"] = row.get("added", Decimal(0)) + view.points(account.pk)
    for row in rows.values():
        row["after"] = row["before"] + row["added"]
        cap = Decimal(row["capacity"])
        row["utilisation_before"] = row["before"] / cap if cap else None
        row["utilisation_after"] = row["after"] / cap if cap else None
    return sorted(rows.values(), key=lambda r: (-r["accounts"], r["rep"].name))


def t12m_revenue(accounts: list[Account], day: date) -> dict[int, Decimal]:
    window = trailing_12_months(day)
    return revenue_between(window.start, window.end, [a.pk for a in accounts])


def _ratio(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 4)


def summary_json(rows: list[RecipientRow]) -> list[dict[str, Any]]:
    return [
        {
            "rep_id": r["rep"].external_id,
            "name": r["rep"].name,
            "accounts": r["accounts"],
            "revenue": f"{r['revenue']:.2f}",
            "points_before": float(r["before"]),
            "points_after": float(r["after"]),
            "capacity": r["capacity"],
            "utilisation_before": _ratio(r["utilisation_before"]),
            "utilisation_after": _ratio(r["utilisation_after"]),
        }
        for r in rows
    ]


def plan_compute(
    *, from_rep: Rep, user: Viewer | None, day: date, effective_date: date | None = None, top_k: int = 5,
    tolerance: float | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The plan as JSON-ready data (external ids and names): what `bookwise transfer plan` prints."""
    p = propose(
        from_rep=from_rep, user=user, day=day, effective_date=effective_date, top_k=top_k, tolerance=tolerance
    )
    r = p.result
    by_pk = {a.pk: a for a in p.accounts}
    moves = [(by_pk[a], p.candidates[rid]) for a, rid in r.assignments.items()]
    moves.sort(key=lambda m: m[0].external_id)
    revenue = t12m_revenue(p.accounts, day)
    return {
        "from": from_rep.external_id,
        "from_name": from_rep.name,
        "day": day.isoformat(),
        "effective_date": p.effective_date.isoformat(),
        "accounts": len(p.accounts) + len(p.excluded),
        "planned": len(p.accounts),
        "candidates": len(p.candidates),
        **_result_json(r),
        "assignments": [
            {
                "account_id": a.external_id,
                "account_name": a.name,
                "to": rep.external_id,
                "to_name": rep.name,
                "score": r.scores[a.pk],
                "points": float(p.view.points(a.pk)),
            }
            for a, rep in moves
        ],
        "excluded": p.excluded,
        "recipients": summary_json(recipient_summary(p.view, moves, revenue)),
        "shortfalls": [_external(s, by_pk) for s in r.shortfalls],
    }


def _result_json(r: optimiser.Solution) -> dict[str, Any]:
    return {
        "feasible": r.feasible,
        "status": r.status,
        "objective": _round(r.objective),
        "bound": _round(r.bound),
        "bound_scope": r.bound_scope,
        "gap": _round(r.gap, 6),
        "greedy_objective": _round(r.greedy_objective),
        "max_utilisation": _round(r.max_utilisation, 4),
        "balance": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.balance.items()},
    }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _external(shortfall: dict[str, Any], accounts: dict[int, Account]) -> dict[str, Any]:
    out = dict(shortfall)
    if "account_id" in out:
        account = accounts[out["account_id"]]
        out["account_id"], out["account_name"] = account.external_id, account.name
    return out


def check_effective_date(effective: date, today: date) -> None:
    """A plan's effective date inside the transfers' window (rules.window()): the plan drafts
    transfers, so what could not be drafted cannot be planned."""
    back, ahead = rules.window()
    date_near_today(
        effective, "Effective date", today, days_back=back, days_ahead=ahead, field="effective_date"
    )


@transaction.atomic
def plan_create(
    *, from_rep: Rep, actor: Viewer | None, day: date, effective_date: date, reason: str = "departure"
) -> ReassignmentPlan:
    """Compute and keep a plan for review (a draft: lines editable until applied)."""
    if not can_manage_for(actor, from_rep):
        raise Forbidden(PLAN_REFUSED)
    rules.check_reason(reason)  # else the plan is kept and can never be applied
    check_effective_date(effective_date, day)
    p = propose(from_rep=from_rep, user=actor, day=day, effective_date=effective_date)
    r, by_pk = p.result, {a.pk: a for a in p.accounts}
    data = _result_json(r)
    plan = ReassignmentPlan.objects.create(
        from_rep=from_rep,
        day=day,
        effective_date=effective_date,
        reason=reason,
        created_by=signed_in(actor),
        shortfalls=[_external(s, by_pk) for s in r.shortfalls],
        excluded=p.excluded,
        **{k: data[k] for k in ("feasible", "objective", "bound", "bound_scope", "gap", "greedy_objective")},
        balance=data["balance"],
    )
    _store_lines(plan, p)
    audit_record(
        actor=actor,
        action="plan.create",
        obj=plan,
        data={
            "from": from_rep.external_id,
            "effective_date": effective_date.isoformat(),
            "lines": len(p.accounts),
            "left_out": [x["account_id"] for x in p.excluded],
            **{k: data[k] for k in ("feasible", "objective", "bound", "gap", "greedy_objective", "balance")},
        },
    )
    return plan


def _store_lines(plan: ReassignmentPlan, p: Proposal) -> None:
    r = p.result
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=plan,
            account=account,
            to_rep=p.candidates[r.assignments[account.pk]] if account.pk in r.assignments else None,
            score=r.scores.get(account.pk),
            points=p.view.points(account.pk),
        )
        for account in p.accounts
    )
