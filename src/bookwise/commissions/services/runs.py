"""Runs: compute (stores or replaces the period's draft), prior-period adjustments, approve."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bookwise.accounts.frozen import freezing, history_changed_since
from bookwise.accounts.selectors import today as current_day
from bookwise.core.actor import acting
from bookwise.core.errors import Conflict, Forbidden
from bookwise.core.services import audit_record
from bookwise.core.users import Viewer
from bookwise.core.validation import InvalidValue

from ..compute.computation import ChunkStatements, PeriodComputation
from ..compute.period import PayPeriod
from ..compute.statements import AdjustmentLine, PaidPlan, RepStatement, StatementLine
from ..models import Dispute, DisputeStatus, Run, RunStatus, Statement
from ..planfile import plan_from_json
from ..present import money, statement_json
from ..selectors import can_approve, can_run
from .periods import check_period, current_label

ZERO = Decimal(0)
Adjusted = tuple[dict[str, list[AdjustmentLine]], dict[str, RepStatement | None]]  # by rep ref


def pinned_plans(run: Run) -> list[PaidPlan]:
    return [PaidPlan(plan_from_json(v.spec, v.version), v.id) for v in run.plan_versions.all()]


def _paid_so_far(
    run: Run, later: list[Run], reps: tuple[int, ...]
) -> tuple[dict[tuple[str, str], Decimal], dict[str, Decimal]]:
    """What was paid for run.period to `reps`: its approved lines plus the adjustments
    for that period in approved runs after it. Keys (rep ref, order id); override by rep
    ref."""
    lines: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    overrides: dict[str, Decimal] = defaultdict(Decimal)
    for st in Statement.objects.filter(run=run, rep_id__in=reps).order_by("id"):
        overrides[st.data["rep_id"]] += Decimal(st.data["override"])
        for line in st.lines:
            lines[(st.data["rep_id"], line.order_id)] += Decimal(line.commission)
    for other in later:
        for data in (
            Statement.objects.filter(run=other, rep_id__in=reps).order_by("id").values_list("data", flat=True)
        ):
            for adj in data["adjustment_lines"]:
                if adj["period"] != run.period or adj["kind"] == "dispute":
                    continue
                if adj["kind"] == "override":
                    overrides[data["rep_id"]] += Decimal(adj["commission"])
                else:
                    lines[(data["rep_id"], adj["order_id"])] += Decimal(adj["commission"])
    return lines, overrides


def _line_adjustments(
    run: Run, later: list[Run], fresh: list[RepStatement], reps: tuple[int, ...]
) -> dict[str, list[AdjustmentLine]]:
    """Per rep ref (of `reps`), the differences between `fresh`, a recomputation of an
    approved period, and what was paid for it, line by line (and the override)."""
    paid_lines, paid_overrides = _paid_so_far(run, later, reps)
    now: dict[tuple[str, str], StatementLine] = {}
    now_override = {s.rep_ref: s.override for s in fresh}
    for s in fresh:
        for line in s.lines:
            now[(s.rep_ref, line.order_id)] = line
    out: dict[str, list[AdjustmentLine]] = defaultdict(list)
    for key in sorted(set(paid_lines) | set(now)):
        before, fresh_line = paid_lines.get(key, ZERO), now.get(key)
        current = Decimal(fresh_line.commission) if fresh_line else ZERO
        if current != before:
            out[key[0]].append(_adj_line(run.period, key[1], fresh_line, before, current))
    for rep in sorted(set(paid_overrides) | set(now_override)):
        before, current = paid_overrides.get(rep, ZERO), now_override.get(rep, ZERO)
        if current != before:
            out[rep].append(
                {"period": run.period, "kind": "override", "order_id": None, "account_id": None,
                 "order_date": None, "previous": money(before), "current": money(current),
                 "commission": money(current - before), "explanation": "manager override recomputed"}
            )  # fmt: skip
    return out


def _adj_line(
    period: str, order_id: str, line: StatementLine | None, before: Decimal, now: Decimal
) -> AdjustmentLine:
    return {
        "period": period,
        "kind": "line",
        "order_id": order_id,
        "account_id": line.account_id if line else None,
        "order_date": line.order_date if line else None,
        "previous": money(before),
        "current": money(now),
        "commission": money(now - before),
        "explanation": line.explanation if line else "line no longer credited to this rep",
    }


class _PriorAdjustments:
    """Adjustments for every approved earlier period of the same kind, for a chunk of
    reps at a time: each approved period is recomputed (with the plan versions its run
    used) in the same chunks of reps as the run, and compared with what was paid."""

    def __init__(self, period: PayPeriod) -> None:
        runs = Run.objects.filter(status=RunStatus.APPROVED).prefetch_related("plan_versions")
        approved = [(PayPeriod.parse(r.period), r) for r in runs]
        approved = [(p, r) for p, r in approved if p.kind == period.kind and p.end < period.start]
        approved.sort(key=lambda pr: pr[0].start)
        self.approved = [r for _, r in approved]
        self.computations = [PeriodComputation(p, pinned_plans(r)) for p, r in approved]
        self._running: list[Generator[ChunkStatements, None, None]] = []

    def start(self, plan: list[tuple[int, ...]], part: range | None = None) -> None:
        """Recompute the approved periods chunk by chunk of `plan` (or of its `part`), in
        step with the run."""
        self._running = [c.chunks(plan, part) for c in self.computations]

    def stop(self) -> None:
        for chunks in self._running:
            chunks.close()
        self._running = []

    def for_reps(self, reps: tuple[int, ...]) -> Adjusted:
        """Adjustments by rep ref for the next chunk of the plan (`reps`), and per rep ref
        the recomputed statement (without its lines) of the first period adjusted."""
        return self._compare(reps, (next(chunks) for chunks in self._running))

    def _compare(self, reps: tuple[int, ...], recomputed: Iterable[ChunkStatements]) -> Adjusted:
        found: dict[str, list[AdjustmentLine]] = defaultdict(list)
        sources: dict[str, RepStatement | None] = {}
        for i, chunk in enumerate(recomputed):
            assert chunk.reps == reps, "the approved periods are recomputed in the run's chunks"
            fresh = {s.rep_ref: s for s in chunk.statements}
            later = self.approved[i + 1 :]
            for rep, adj in _line_adjustments(self.approved[i], later, chunk.statements, reps).items():
                found[rep].extend(adj)
                source = fresh.get(rep)
                sources.setdefault(rep, replace(source, lines=[]) if source else None)
        return found, sources


def _dispute_adjustments() -> dict[str, list[AdjustmentLine]]:
    found: dict[str, list[AdjustmentLine]] = defaultdict(list)
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


@dataclass
class _Entry:
    statement: RepStatement
    adjustments: list[AdjustmentLine] | None


class PeriodRun:
    """Every statement of a period with its adjustments, chunk by chunk of reps
    (statements of reps in external id order); read-only."""

    def __init__(self, period: str | PayPeriod, plans: list[PaidPlan] | None = None) -> None:
        self.period = period = PayPeriod.of(period)
        self.computation = PeriodComputation(period, plans)
        self.adjusted = plans is None  # with given plans: no adjustments (a what-if)
        self.prior = _PriorAdjustments(period) if self.adjusted else None
        self.disputes = _dispute_adjustments() if self.adjusted else {}

    def plan(self, lines: int | None = None, most: int | None = None) -> list[tuple[int, ...]]:
        """The chunks of reps (at most `lines` estimated lines and `most` reps a chunk;
        default chunks.CHUNK_LINES, CHUNK_REPS), the approved periods' lines counted too."""
        beside = self.prior.computations if self.prior is not None else []
        return self.computation.plan(lines, most, beside)

    def chunks(self, lines: int | None = None, most: int | None = None) -> Iterator[list[_Entry]]:
        """The entries chunk by chunk of reps (see plan)."""
        return self.part(self.plan(lines, most))

    def part(self, plan: list[tuple[int, ...]], part: range | None = None) -> Iterator[list[_Entry]]:
        """The entries chunk by chunk of `plan`, or only of its chunks in `part` (a
        worker's share of a run: the same entries as those chunks of the whole)."""
        prior = self.prior if self.prior is not None and self.prior.approved else None
        if prior is not None:
            prior.start(plan, part)
        try:
            for chunk in self.computation.chunks(plan, part):
                reps, statements = chunk.reps, chunk.statements
                del chunk  # the statements are the consumer's now: freed once stored
                yield self._entries(reps, statements, prior.for_reps(reps) if prior else None)
                del statements
        finally:
            if self.prior is not None:
                self.prior.stop()

    def _entries(
        self, reps: tuple[int, ...], statements: list[RepStatement], prior: Adjusted | None
    ) -> list[_Entry]:
        adjustments, sources = prior if prior is not None else ({}, {})
        refs = self.computation.refs
        for rep in reps:
            if refs[rep] in self.disputes:
                adjustments.setdefault(refs[rep], []).extend(self.disputes[refs[rep]])
        entries = [_Entry(s, adjustments.get(s.rep_ref)) for s in statements]
        have = {s.rep_ref for s in statements}
        for ref in sorted(set(adjustments) - have):
            source = sources.get(ref)
            if source is None:
                source = _statement_without_lines(ref)
            if source is not None:
                entries.append(_Entry(RepStatement(source.rep_id, ref, source.paid, None), adjustments[ref]))
        entries.sort(key=lambda e: e.statement.rep_ref)
        return entries


def statements_for(
    period: str | PayPeriod, plans: list[PaidPlan] | None = None, compact: bool = False
) -> list[tuple[RepStatement, dict[str, Any]]]:
    """(statement, JSON) for every rep of the period, adjustments included; read-only.
    All in memory (for printing and tests); run_compute streams."""
    run = PeriodRun(period, plans)
    entries = [e for chunk in run.chunks() for e in chunk]
    label = run.period.label
    return [(e.statement, statement_json(e.statement, label, e.adjustments, compact)) for e in entries]


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
def run_compute(*, period: str, actor: Viewer | None = None, today: date | None = None) -> Run:
    """Compute every statement of `period` and store it as the period's draft run
    (replacing the previous draft). An approved period cannot be run again, a period not
    yet started or before the first plan cannot be run at all. Admins and directors only
    (actor None = the command line)."""
    span = check_run(period, actor, today)
    run = start_draft(period, actor)
    count = _store_statements(run, PeriodRun(span))
    audit_record(
        actor=actor,
        action="commissions.run.compute",
        obj=run,
        data={"period": period, "statements": count},
    )
    return run


def check_run(period: str, actor: Viewer | None, today: date | None) -> PayPeriod:
    """The period a run may be computed for by `actor` (see run_compute)."""
    if actor is not None and not can_run(actor):
        raise Forbidden(
            "Only admins and directors run commissions. (Sales ops compute draft runs for them to approve.)"
        )
    span = check_period(period, today)
    if Run.objects.filter(period=period, status=RunStatus.APPROVED).exists():
        raise Conflict(f"{period} is approved; later changes appear as adjustments in a later period's run.")
    return span


def start_draft(period: str, actor: Viewer | None) -> Run:
    """The period's new, empty draft run, replacing the previous draft (in the caller's
    transaction)."""
    if Run.objects.filter(period=period, status=RunStatus.APPROVED).exists():
        raise Conflict(f"{period} is approved; later changes appear as adjustments in a later period's run.")
    Run.objects.select_for_update().filter(period=period, status=RunStatus.DRAFT).delete()
    try:
        with transaction.atomic():  # the unique index on the period's draft decides between two at once
            return Run.objects.create(period=period, created_by=acting(actor).user)
    except IntegrityError:
        raise Conflict(f"{period} is being run by someone else at this moment; look at its run.") from None


def _store_statements(run: Run, period_run: PeriodRun) -> int:
    """Store the run's statements chunk by chunk (a chunk's lines are freed once
    written), then the run's totals; returns the count."""
    run.commission = run.override = run.adjustments = ZERO
    versions: set[int] = set()
    count = 0
    for chunk in period_run.chunks():
        for obj in _store_chunk(run, chunk):
            run.commission += obj.commission
            run.override += obj.override
            run.adjustments += obj.adjustments
            versions.add(obj.plan_version_id)
            count += 1
        del chunk
    # every plan paying the period, also one that paid nobody yet: a late line may need it
    # when the approved period is recomputed for the adjustments
    paying = period_run.computation.by_role.values()
    versions |= {paid.version_id for paid in paying if paid.version_id is not None}
    run.plan_versions.set(versions - {None})
    run.save()
    return count


def _store_chunk(run: Run, chunk: list[_Entry]) -> list[Statement]:
    objs = []
    for e in chunk:
        s = e.statement
        data = statement_json(s, run.period, e.adjustments, compact=True)
        assert s.paid.version_id is not None, "a paid statement names its plan version"
        statement = Statement(
            run=run, rep_id=s.rep_id, plan_version_id=s.paid.version_id, commission=s.commission,
            override=s.override, adjustments=Decimal(data["adjustments"]), data=data,
        )  # fmt: skip
        statement.lines = data.pop("lines")
        objs.append(statement)
    return Statement.objects.bulk_create(objs, batch_size=200)


@transaction.atomic
def run_approve(*, run: Run, actor: Viewer | None, today: date | None = None) -> Run:
    """Freeze a draft run (admins and directors; actor None = the command line); settles
    the disputes it pays. A run of a period not yet started is never approved."""
    if actor is not None and not can_approve(actor):
        raise Forbidden("Only admins and directors approve commission runs.")
    freezing()  # no transfer completes into the period while it is checked and frozen
    run = Run.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.DRAFT:
        raise Conflict("This run is already approved.")
    day = today or current_day()
    paid = PayPeriod.parse(run.period)
    if paid.start > day:
        current = current_label(paid.kind, day)
        message = (
            f"{run.period} has not started yet; only runs up to the current period ({current}) are approved."
        )
        raise InvalidValue("Period", message, "period")
    _check_history_unchanged(run, paid)
    run.status = RunStatus.APPROVED
    run.approved_by = acting(actor).user
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


def _check_history_unchanged(run: Run, paid: PayPeriod) -> None:
    """Refuse to freeze a run whose period's ownership history changed after it was
    computed (a transfer completed or an ownership import in between)."""
    changed = history_changed_since(run.created_at, paid.start, paid.end)
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        raise Conflict(
            f"Who owned {shown} during {run.period} changed after this run was computed; "
            "compute the run again, then approve it.",
            {"accounts": changed},
        )
