"""The jobs a worker runs: each a function of its parameters and a progress callback that
returns a sentence (the result) or raises (the error). Every one does its writes in one
transaction (the services it calls do), so an interrupted attempt leaves nothing behind and
`retry_safe` jobs are simply run again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import timezone

from bookwise.agreements.reminders import reminders_send as agreement_reminders_send
from bookwise.agreements.services import agreements_expire_due
from bookwise.commissions.services import run_chunks
from bookwise.core.errors import ApplicationError
from bookwise.imports.services import import_file
from bookwise.imports.wizard.runs import run_import, summary
from bookwise.people.models import Rep
from bookwise.plans.reminders import reminders_send
from bookwise.plans.reports import overdue_report
from bookwise.rebalance.queued import run_queued as _rebalance_propose
from bookwise.retention.services import REBUILD_JOB, revenue_rollup_catch_up, revenue_rollup_refresh
from bookwise.team.services import line_rollup_catch_up
from bookwise.transfers.coverage import co_coverage_end_due

Progress = Callable[[int, int | None], None]  # (done, total or None)
Outcome = str | tuple[str, str]  # the result's sentence, or (sentence, the URL of its page)
SHOW_ERRORS = 20
REBUILD_FAILED = "The lines are in; a report opened rebuilds the rollups itself."
RUN_JOBS = 4  # the jobs a commission run is shared into (each reads the period's lines once)


@dataclass(frozen=True)
class JobSpec:
    run: Callable[[dict[str, Any], Progress, Any], Outcome]  # (params, progress, the user)
    retry_safe: bool  # all-or-nothing and idempotent: an interrupted attempt may run again
    admin_only: bool = True
    # for work queued once the queuing job's own is done (the rollups after an import): what
    # its failure leaves, told beside that job's result, which still reads done (jobs.follow)
    follow_up: str = ""


def _import(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    """An uploaded file, imported as on the command line; the file is removed once the job
    has its answer (kept while it may still be retried)."""
    path = Path(params["path"])
    if not path.is_file():
        raise ApplicationError(f"the uploaded file {params['filename']} is gone; upload it again")

    def counted(rows: Any) -> Iterator[Any]:
        for number, row in enumerate(rows, start=1):
            if number % 500 == 0:
                progress(number, None)
            yield row

    report = import_file(kind=params["kind"], path=path, filename=params["filename"], progress=counted)
    path.unlink(missing_ok=True)
    if not report.ok:
        lines = "\n".join(str(line) for line in report.error_lines(SHOW_ERRORS))
        raise ApplicationError(f"{params['filename']}: nothing imported.\n{lines}")
    return f"Imported {params['filename']}: {report.summary()}"


def _import_mapped(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    """An import confirmed in the web import wizard (imports.wizard.runs): its result page
    shows the counts, or every error."""
    run = run_import(int(params["run_id"]), progress)
    page = reverse("imports:wizard-run", kwargs={"run_id": run.pk})
    if run.state != run.DONE:
        raise ApplicationError(f"{run.filename}: nothing imported ({run.error_count} errors); see {page}")
    return f"Imported {run.filename}: {summary(run)}", page


def _rollup(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    rows = revenue_rollup_refresh(account_ids=params.get("account_ids"))
    return f"Revenue rollup refreshed: {rows:,} account-months."


def _rollups_rebuild(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    """Queued by a large import (retention.services.revenue_rollup_after_import)."""
    revenue_rollup_catch_up()
    line_rollup_catch_up()
    return "Order lines indexed and their rollups up to date."


def _remind(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    sent = reminders_send(day=timezone.localdate())
    return f"{len(sent)} plan review reminder(s) sent."


def _agreements_remind(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    day = timezone.localdate()
    expired = agreements_expire_due(day=day)
    sent = agreement_reminders_send(day=day)
    return f"{len(sent)} agreement renewal reminder(s) sent; {len(expired)} agreement(s) expired."


def _end_co_coverage(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    done = co_coverage_end_due(day=timezone.localdate())
    return f"{len(done)} co-coverage period(s) ended."


def _overdue(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    rows = overdue_report(day=timezone.localdate())
    return f"{len(rows)} account plan review(s) overdue."


def _reassignment_plan(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    """Solve a rep's whole book into a draft reassignment plan (transfers.planning)."""
    from bookwise.transfers import planning  # the solver (numpy, HiGHS) loads only for this job

    rep = Rep.objects.get(external_id=params["rep_id"])
    plan = planning.plan_create(
        from_rep=rep,
        actor=user,
        day=date.fromisoformat(params["day"]),
        effective_date=date.fromisoformat(params["effective_date"]),
        reason=params["reason"],
    )
    lines = plan.lines.count()
    text = f"Reassignment plan for {rep.name}: {lines} account{'s' if lines != 1 else ''}, ready for review."
    return text, reverse("transfers:plan", kwargs={"plan_id": plan.pk})


def _commissions_run(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    """The coordinator of a commission run: plans its chunks and queues them in `jobs` jobs
    (runs of chunks) that any worker may take; the last to finish gathers the run."""
    from . import runner, tasks  # the same app: the queue that runs this job

    attempt = run_chunks.attempt_plan(
        period=params["period"], actor=user, lines=params.get("lines"), most=params.get("most")
    )
    shares = run_chunks.parts(len(attempt.plan), int(params.get("jobs") or RUN_JOBS))
    for n, part in enumerate(shares, start=1):
        label = f"Commission run {attempt.period}: part {n} of {len(shares)}"
        share = {"attempt": attempt.pk, "first": part.start, "stop": part.stop, "period": attempt.period}
        tasks.send(runner.create("commissions_run_chunk", user=user, label=label, params=share).pk)
    run = run_chunks.gathered(attempt.pk, attempt.period)  # already, when jobs run in the caller
    if run is not None:
        return f"Draft run of {run.period} computed.", reverse("commissions:run", kwargs={"run_id": run.pk})
    return (
        f"Commission run {attempt.period}: {len(attempt.plan)} chunk(s) in {len(shares)} job(s) queued; "
        "the run is stored when all are done."
    )


def _commissions_chunk(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    """One chunk of a commission run: computed and staged; the chunk that finds every chunk
    staged writes the run in one transaction."""
    part = range(params["first"], params["stop"])
    staged = run_chunks.chunk_stage(attempt_id=params["attempt"], part=part)
    run = run_chunks.attempt_gather(attempt_id=params["attempt"], actor=user) if staged else None
    if run is None:
        return f"Chunks {part.start + 1}-{part.stop} of the commission run {params['period']} computed."
    text = f"Draft run of {run.period} computed: {run.statements.count()} statement(s)."
    return text, reverse("commissions:run", kwargs={"run_id": run.pk})


JOBS: dict[str, JobSpec] = {
    "import_file": JobSpec(_import, retry_safe=True),
    "import_mapped": JobSpec(_import_mapped, retry_safe=True, admin_only=False),
    "rollup_refresh": JobSpec(_rollup, retry_safe=True),
    REBUILD_JOB: JobSpec(_rollups_rebuild, retry_safe=True, follow_up=REBUILD_FAILED),  # one transaction each
    "plans_remind": JobSpec(_remind, retry_safe=True),  # sends once per plan and due date
    "agreements_remind": JobSpec(_agreements_remind, retry_safe=True),  # once per agreement and notice date
    "end_co_coverage": JobSpec(_end_co_coverage, retry_safe=True),
    "overdue_scan": JobSpec(_overdue, retry_safe=True),
    "reassignment_plan": JobSpec(_reassignment_plan, retry_safe=True),  # one transaction
    "commissions_run": JobSpec(_commissions_run, retry_safe=False),  # a retry would queue the chunks twice
    "commissions_run_chunk": JobSpec(_commissions_chunk, retry_safe=True),  # staged, replaced on a retry
    "rebalance_propose": JobSpec(_rebalance_propose, retry_safe=True),  # one transaction, once per batch
}
