"""Mass reassignment of a whole book (a leaving rep's or a manager's): build the optimiser's
problem from the database, keep the plan for review, edit lines, apply it as transfers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bookwise.accounts.models import Account, Ownership
from bookwise.accounts.selectors import current_q
from bookwise.core.errors import Forbidden, RuleViolation
from bookwise.core.services import audit_record
from bookwise.people.models import Rep

from . import optimiser
from .models import PlanLine, ReassignmentPlan
from .permissions import can_manage_for
from .recommend import build_context, relation_index, score_all
from .services import transfer_create
from .workload import account_points, points_table


def book_of(rep: Rep, day: date) -> list[Account]:
    ids = Ownership.objects.filter(current_q(day), rep=rep, role="primary").values("account_id")
    return list(Account.objects.filter(id__in=ids).order_by("external_id"))


def plan_compute(*, from_rep: Rep, user: Any, day: date, top_k: int = 5) -> dict[str, Any]:
    """The plan as JSON-ready data (external ids): optimiser result plus greedy baseline."""
    ctx = build_context(user=user, day=day)
    accounts = book_of(from_rep, day)
    table = points_table()
    points = {a.pk: account_points(ctx.tiers.get(a.pk, "C"), "primary", table) for a in accounts}
    index = relation_index(ctx.holdings)
    skip = {from_rep.pk}
    eligible = [rid for rid in ctx.reps if rid not in ctx.excluded and rid not in skip]
    scores = {a.pk: [(rid, s.total) for rid, s in score_all(ctx, a, index, skip).items()] for a in accounts}
    problem = optimiser.Problem(
        accounts=[optimiser.Item(a.pk, float(points[a.pk])) for a in accounts],
        reps=[
            optimiser.Slot(rid, float(ctx.facts[rid].capacity), float(ctx.facts[rid].points))
            for rid in eligible
        ],
        scores=scores,
        top_k=top_k,
    )
    result = optimiser.optimise(problem)
    ext = {a.pk: a.external_id for a in accounts}
    return {
        "from": from_rep.external_id,
        "day": day.isoformat(),
        "accounts": len(accounts),
        "candidates": len(eligible),
        "feasible": result.feasible,
        "status": result.status,
        "objective": _round(result.objective),
        "bound": _round(result.bound),
        "gap": _round(result.gap, 6),
        "greedy_objective": _round(result.greedy_objective),
        "max_utilisation": _round(result.max_utilisation, 4),
        "assignments": [
            {
                "account_id": ext[a],
                "to": ctx.reps[r].external_id,
                "score": result.scores[a],
                "points": float(points[a]),
            }
            for a, r in sorted(result.assignments.items(), key=lambda kv: ext[kv[0]])
        ],
        "shortfalls": [_external(s, ext) for s in result.shortfalls],
    }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _external(shortfall: dict, ext: dict[int, str]) -> dict:
    out = dict(shortfall)
    if "account_id" in out:
        out["account_id"] = ext[out["account_id"]]
    return out


@transaction.atomic
def plan_create(
    *, from_rep: Rep, actor: Any, day: date, effective_date: date, reason: str = "departure"
) -> ReassignmentPlan:
    """Compute and keep a plan for review (lines editable until applied)."""
    if not can_manage_for(actor, from_rep):
        raise Forbidden("Only the rep's managers or an admin may plan their book.")
    data = plan_compute(from_rep=from_rep, user=actor, day=day)
    plan = ReassignmentPlan.objects.create(
        from_rep=from_rep,
        day=day,
        effective_date=effective_date,
        reason=reason,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        feasible=data["feasible"],
        objective=data["objective"],
        bound=data["bound"],
        gap=data["gap"],
        greedy_objective=data["greedy_objective"],
        shortfalls=data["shortfalls"],
    )
    accounts = {a.external_id: a for a in book_of(from_rep, day)}
    reps = {
        r.external_id: r for r in Rep.objects.filter(external_id__in={x["to"] for x in data["assignments"]})
    }
    chosen = {x["account_id"]: x for x in data["assignments"]}
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=plan,
            account=account,
            to_rep=reps.get(chosen[ext]["to"]) if ext in chosen else None,
            score=chosen[ext]["score"] if ext in chosen else None,
            points=Decimal(str(chosen[ext]["points"])) if ext in chosen else Decimal(0),
        )
        for ext, account in accounts.items()
    )
    audit_record(
        actor=actor,
        action="plan.create",
        obj=plan,
        data={
            "from": from_rep.external_id,
            **{k: data[k] for k in ("feasible", "objective", "bound", "gap", "greedy_objective")},
        },
    )
    return plan


def _require(plan: ReassignmentPlan, actor: Any) -> None:
    if not can_manage_for(actor, plan.from_rep):
        raise Forbidden("Only the rep's managers or an admin may change this plan.")
    if plan.applied_at is not None:
        raise RuleViolation("This plan has already been applied.")


@transaction.atomic
def plan_line_update(*, line: PlanLine, to_rep: Rep | None, actor: Any) -> PlanLine:
    _require(line.plan, actor)
    line.to_rep = to_rep
    line.edited = True
    line.score = None
    line.save(update_fields=["to_rep", "edited", "score", "updated_at"])
    audit_record(
        actor=actor,
        action="plan.edit",
        obj=line.plan,
        data={"account": line.account.external_id, "to": to_rep.external_id if to_rep else None},
    )
    return line


@transaction.atomic
def plan_apply(*, plan: ReassignmentPlan, actor: Any) -> list:
    """Create every line's transfer (draft) in one transaction; nobody may end over capacity."""
    plan = ReassignmentPlan.objects.select_for_update().select_related("from_rep").get(pk=plan.pk)
    _require(plan, actor)
    lines = list(plan.lines.select_related("account", "to_rep"))
    if not lines or any(line.to_rep is None for line in lines):
        raise RuleViolation("Every account of the plan needs a recipient before applying.")
    _check_totals(plan, lines)
    transfers = [
        transfer_create(
            account=line.account,
            to_rep=line.to_rep,  # type: ignore[arg-type]  # checked above
            effective_date=plan.effective_date,
            reason=plan.reason,
            actor=actor,
            plan=plan,
            capacity_checked=True,  # _check_totals checked the whole batch
        )
        for line in lines
    ]
    plan.applied_at = timezone.now()
    plan.save(update_fields=["applied_at", "updated_at"])
    audit_record(actor=actor, action="plan.apply", obj=plan, data={"transfers": len(transfers)})
    return transfers


def _check_totals(plan: ReassignmentPlan, lines: list[PlanLine]) -> None:
    from .workload import rep_loads, tier_map

    tiers = tier_map(day=plan.effective_date, account_ids=[line.account_id for line in lines])
    table = points_table()
    added: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        assert line.to_rep_id is not None
        added[line.to_rep_id] += account_points(tiers.get(line.account_id, "C"), "primary", table)
    loads = rep_loads(day=plan.effective_date, rep_ids=list(added))
    for rep_id, extra in added.items():
        load = loads[rep_id]
        if load.points + extra > load.capacity:
            rep = Rep.objects.get(pk=rep_id)
            raise RuleViolation(
                f"{rep.name} would be over capacity ({load.points + extra} of {load.capacity} points).",
                {"rep_id": rep.external_id},
            )
