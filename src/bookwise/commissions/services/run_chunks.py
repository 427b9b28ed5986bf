"""A run computed by workers, chunk by chunk (the jobs app queues and calls these):

1. `attempt_plan` (the coordinator) checks the run may be computed and plans its chunks of
   reps, the same plan as run_compute's (PeriodRun.plan), into a RunAttempt;
2. `chunk_stage` (one job per part, any worker) computes its chunks' statements with their
   adjustments (PeriodRun.part: a job takes a run of chunks, `parts`) and stages them in
   RunChunk, replacing what an earlier try of the same chunks staged; never a run's rows;
3. `attempt_gather` (called by the chunk that finds every chunk staged) writes the run in
   one transaction (the rows, totals and audit entry of run_compute) and removes the
   attempt with its staging.

A failed chunk can be run again (it recomputes and replaces its staging); until every
chunk is staged nothing of the run is visible and the previous draft stays."""

from __future__ import annotations

import json
import zlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from bookwise.core import background
from bookwise.core.services import audit_record
from bookwise.core.users import Viewer, signed_in

from ..compute.statements import as_lines
from ..models import Run, RunAttempt, RunChunk, RunStatus, Statement
from ..present import statement_json
from .runs import PeriodRun, _Entry, check_run, start_draft

ZERO = Decimal(0)


def run_queue(*, period: str, actor: Viewer | None, **options: int | None) -> background.Queued | None:
    """Queue the run of `period` as jobs (the `commissions_run` job: attempt_plan, then a job
    per part) once `actor` may run it (check_run, as run_compute); `options` are the job's
    `jobs` and `most`. None when there is no queue: nothing is queued."""
    check_run(period, actor, None)
    params = {"period": period, **options}
    return background.enqueue("commissions_run", user=actor, label=f"Commission run {period}", params=params)


def attempt_plan(
    *,
    period: str,
    actor: Viewer | None = None,
    today: date | None = None,
    lines: int | None = None,
    most: int | None = None,
) -> RunAttempt:
    """Plan a run of `period` in chunks (at most `lines` estimated lines and `most` reps
    each; defaults as run_compute's). Checks as run_compute."""
    span = check_run(period, actor, today)
    period_run = PeriodRun(span)
    plan = period_run.plan(lines, most)
    paying = period_run.computation.by_role.values()
    versions = sorted({paid.version_id for paid in paying if paid.version_id is not None})
    return RunAttempt.objects.create(
        period=period, plan=[list(r) for r in plan], versions=versions, created_by=signed_in(actor)
    )


def parts(size: int, jobs: int) -> list[range]:
    """The chunks 0..size-1 shared out, in order, into at most `jobs` runs of chunks
    (each job reads the period's lines once for all of its chunks)."""
    jobs = max(1, min(jobs, size))
    bounds = [size * j // jobs for j in range(jobs + 1)]
    return [range(bounds[j], bounds[j + 1]) for j in range(jobs)]


def chunk_stage(*, attempt_id: int, part: range) -> bool:
    """Compute the attempt's chunks in `part` and stage them (replacing what an earlier
    try staged); False when the attempt is gone (already gathered: nothing to do)."""
    attempt = RunAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return False
    plan = [tuple(reps) for reps in attempt.plan]
    staged = []
    for index, entries in zip(part, PeriodRun(attempt.period).part(plan, part), strict=True):
        rows = json.dumps(_rows(attempt.period, entries), separators=(",", ":")).encode()
        staged.append(RunChunk(attempt_id=attempt_id, index=index, payload=zlib.compress(rows, 1)))
    with transaction.atomic():
        if not RunAttempt.objects.select_for_update().filter(pk=attempt_id).exists():
            return False
        RunChunk.objects.filter(attempt_id=attempt_id, index__in=list(part)).delete()
        RunChunk.objects.bulk_create(staged)
    return True


def _rows(period: str, entries: list[_Entry]) -> list[dict[str, Any]]:
    """What _store_chunk stores of each entry, as JSON."""
    rows = []
    for e in entries:
        s = e.statement
        data = statement_json(s, period, e.adjustments, compact=True)
        assert s.paid.version_id is not None, "a paid statement names its plan version"
        lines = as_lines(data.pop("lines"))
        money = {"commission": str(s.commission), "override": str(s.override)}
        rows.append(
            {"rep_id": s.rep_id, "plan_version_id": s.paid.version_id, **money, "data": data, "lines": lines}
        )
    return rows


@transaction.atomic
def attempt_gather(*, attempt_id: int, actor: Viewer | None = None) -> Run | None:
    """When every chunk of the attempt is staged: write its run (replacing the period's
    draft), remove the attempt and its staging, and return the run; else None."""
    attempt = RunAttempt.objects.select_for_update().filter(pk=attempt_id).first()
    if attempt is None or attempt.chunks.count() < len(attempt.plan):
        return None
    run = start_draft(attempt.period, actor)
    run.commission = run.override = run.adjustments = ZERO
    versions = set(attempt.versions)
    count = 0
    for index in range(len(attempt.plan)):
        payload = RunChunk.objects.values_list("payload", flat=True).get(attempt=attempt, index=index)
        for obj in _store(run, json.loads(zlib.decompress(bytes(payload)))):
            run.commission += obj.commission
            run.override += obj.override
            run.adjustments += obj.adjustments
            versions.add(obj.plan_version_id)
            count += 1
    run.plan_versions.set(versions)
    run.save()
    attempt.delete()
    audit_record(actor=actor, action="commissions.run.compute", obj=run,
                 data={"period": run.period, "statements": count})  # fmt: skip
    return run


def _store(run: Run, rows: list[dict[str, Any]]) -> list[Statement]:
    objs = []
    for row in rows:
        data = row["data"]
        statement = Statement(
            run=run, rep_id=row["rep_id"], plan_version_id=row["plan_version_id"],
            commission=Decimal(row["commission"]), override=Decimal(row["override"]),
            adjustments=Decimal(data["adjustments"]), data=data,
        )  # fmt: skip
        statement.lines = row["lines"]
        objs.append(statement)
    return Statement.objects.bulk_create(objs, batch_size=200)


def gathered(attempt_id: int, period: str) -> Run | None:
    """The period's draft run once the attempt is gathered (gone); None before."""
    if RunAttempt.objects.filter(pk=attempt_id).exists():
        return None
    return Run.objects.filter(period=period, status=RunStatus.DRAFT).first()
