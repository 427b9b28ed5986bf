"""Runs: compute (stores or replaces the period's draft), prior-period adjustments, approve."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bookwise.core.dates import parse_period, period_kind
from bookwise.core.errors import Conflict, Forbidden, RuleViolation
from bookwise.core.services import audit_record

from ..calc import PaidPlan, RepStatement, compute_period, period_of
from ..models import Dispute, DisputeStatus, Run, RunStatus, Statement
from ..planfile import plan_from_json
from ..present import money, statement_json
from ..selectors import can_approve

ZERO = Decimal(0)


def pinned_plans(run: Run) -> list[PaidPlan]:
    return [PaidPlan(plan_from_json(v.spec, v.version), v.id) for v in run.plan_versions.all()]


def _paid_so_far(run: Run, later: list[Run]) -> tuple[dict, dict]:
    """What was paid for run.period: its approved lines plus the adjustments for that
    period in approved runs after it. Keys (rep ref, order id); override by rep ref."""
    lines: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    overrides: dict[str, Decimal] = defaultdict(Decimal)
    for st in run.statements.all():
        overrides[st.data["rep_id"]] += Decimal(st.data["override"])
        for line in st.lines:
            lines[(st.data["rep_id"], line[0])] += Decimal(line[5])
    for other in later:
        for st in other.statements.all():
            for adj in st.data["adjustment_lines"]:
                if adj["period"] != run.period or adj["kind"] == "dispute":
                    continue
                if adj["kind"] == "override":
                    overrides[st.data["rep_id"]] += Decimal(adj["commission"])
                else:
                    lines[(st.data["rep_id"], adj["order_id"])] += Decimal(adj["commission"])
    return lines, overrides


def _line_adjustments(run: Run, later: list[Run]) -> tuple[dict[str, list[dict]], dict[str, RepStatement]]:
    """Per rep ref, the differences between a recomputation of an approved period and
    what was paid for it, line by line (and the override)."""
    paid_lines, paid_overrides = _paid_so_far(run, later)
    fresh = compute_period(run.period, pinned_plans(run))
    now: dict[tuple[str, str], tuple] = {}
    now_override = {s.rep_ref: s.override for s in fresh}
    for s in fresh:
        for line in s.lines:
            now[(s.rep_ref, line[0])] = line
    out: dict[str, list[dict]] = defaultdict(list)
    for key in sorted(set(paid_lines) | set(now)):
        before, line = paid_lines.get(key, ZERO), now.get(key)
        current = Decimal(line[5]) if line else ZERO
        if current != before:
            out[key[0]].append(_adj_line(run.period, key[1], line, before, current))
    for rep in sorted(set(paid_overrides) | set(now_override)):
        before, current = paid_overrides.get(rep, ZERO), now_override.get(rep, ZERO)
        if current != before:
            out[rep].append(
                {"period": run.period, "kind": "override", "order_id": None, "account_id": None,
                 "order_date": None, "previous": money(before), "current": money(current),
                 "commission": money(current - before), "explanation": "manager override recomputed"}
            )  # fmt: skip
    return out, {s.rep_ref: s for s in fresh}


def _adj_line(period: str, order_id: str, line: tuple | None, before: Decimal, now: Decimal) -> dict:
    return {
        "period": period,
        "kind": "line",
        "order_id": order_id,
        "account_id": line[1] if line else None,
        "order_date": line[2] if line else None,
        "previous": money(before),
        "current": money(now),
        "commission": money(now - before),
        "explanation": line[6] if line else "line no longer credited to this rep",
    }


def prior_adjustments(label: str) -> tuple[dict[str, list[dict]], dict[str, RepStatement]]:
    """Adjustments for every approved earlier period of the same kind, by rep ref."""
    start = period_of(label).start
    kind = period_kind(label)
    approved = [
        r
        for r in Run.objects.filter(status=RunStatus.APPROVED).prefetch_related("statements", "plan_versions")
        if period_kind(r.period) == kind and parse_period(r.period).end < start
    ]
    approved.sort(key=lambda r: parse_period(r.period).start)
    found: dict[str, list[dict]] = defaultdict(list)
    sources: dict[str, RepStatement] = {}
    for i, run in enumerate(approved):
        lines, fresh = _line_adjustments(run, approved[i + 1 :])
        for rep, adj in lines.items():
            found[rep].extend(adj)
            sources.setdefault(rep, fresh.get(rep))  # type: ignore[arg-type]
    return found, sources


def _dispute_adjustments() -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    accepted = Dispute.objects.filter(status=DisputeStatus.ACCEPTED, settled_in__isnull=True).select_related(
        "statement__rep", "statement__run"
    )
    for d in accepted.order_by("id"):
        found[d.statement.rep.external_id].append(
            {"period": d.statement.run.period, "kind": "dispute", "dispute_id": d.id, "order_id": d.order_id,
             "account_id": None, "order_date": None, "previous": None, "current": None,
             "commission": money(d.amount or ZERO), "explanation": f"dispute {d.id} accepted: {d.resolution}"}
        )  # fmt: skip
    return found


def statements_for(
    label: str, plans: list[PaidPlan] | None = None, compact: bool = False
) -> list[tuple[RepStatement, dict[str, Any]]]:
    """(statement, JSON) for every rep of the period, adjustments included; read-only."""
    statements = compute_period(label, plans)
    adjustments, sources = prior_adjustments(label) if plans is None else ({}, {})
    if plans is None:
        for rep, lines in _dispute_adjustments().items():
            adjustments.setdefault(rep, []).extend(lines)
    have = {s.rep_ref for s in statements}
    for rep in sorted(set(adjustments) - have):
        source = sources.get(rep)
        if source is None:
            source = _statement_without_lines(rep)
        if source is not None:
            statements.append(RepStatement(source.rep_id, rep, source.paid, None))
    statements.sort(key=lambda s: s.rep_ref)
    return [(s, statement_json(s, label, adjustments.get(s.rep_ref), compact)) for s in statements]


def _statement_without_lines(rep_ref: str) -> RepStatement | None:
    last = (
        Statement.objects.filter(rep__external_id=rep_ref)
        .select_related("plan_version")
        .order_by("-id")
        .first()
    )
    if last is None:
        return None
    v = last.plan_version
    return RepStatement(
        last.rep_id,
        rep_ref,
        PaidPlan(plan_from_json(v.spec, v.version), v.id),
        None,
    )


@transaction.atomic
def run_compute(*, period: str, actor: Any = None) -> Run:
    """Compute every statement of `period` and store it as the period's draft run
    (replacing the previous draft). An approved period cannot be run again. Admins and
    directors only (actor None = the command line)."""
    if actor is not None and not can_approve(actor):
        raise Forbidden("Only admins and directors run commissions.")
    try:
        period_of(period)
    except ValueError as exc:
        raise RuleViolation(str(exc)) from None
    if Run.objects.filter(period=period, status=RunStatus.APPROVED).exists():
        raise Conflict(f"{period} is approved; later changes appear as adjustments in a later period's run.")
    Run.objects.select_for_update().filter(period=period, status=RunStatus.DRAFT).delete()
    rows = statements_for(period, compact=True)
    run = Run.objects.create(
        period=period, created_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    objs = [
        Statement(
            run=run, rep_id=s.rep_id, plan_version_id=s.paid.version_id, commission=s.commission,
            override=s.override, adjustments=Decimal(data["adjustments"]),
            lines=data.pop("lines"), data=data,
        )
        for s, data in rows
    ]  # fmt: skip
    Statement.objects.bulk_create(objs, batch_size=200)
    run.plan_versions.set({s.paid.version_id for s, _ in rows if s.paid.version_id})
    run.commission = sum((o.commission for o in objs), ZERO)
    run.override = sum((o.override for o in objs), ZERO)
    run.adjustments = sum((o.adjustments for o in objs), ZERO)
    run.save()
    audit_record(
        actor=actor,
        action="commissions.run.compute",
        obj=run,
        data={"period": period, "statements": len(objs)},
    )
    return run


@transaction.atomic
def run_approve(*, run: Run, actor: Any) -> Run:
    """Freeze a draft run (admins and directors; actor None = the command line); settles
    the disputes it pays."""
    if actor is not None and not can_approve(actor):
        raise Forbidden("Only admins and directors approve commission runs.")
    run = Run.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.DRAFT:
        raise Conflict("This run is already approved.")
    run.status = RunStatus.APPROVED
    run.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    run.approved_at = timezone.now()
    run.save()
    ids = [
        adj["dispute_id"]
        for st in run.statements.all()
        for adj in st.data["adjustment_lines"]
        if adj["kind"] == "dispute"
    ]
    Dispute.objects.filter(id__in=ids, settled_in__isnull=True).update(settled_in=run)
    audit_record(actor=actor, action="commissions.run.approve", obj=run, data={"period": run.period})
    return run
