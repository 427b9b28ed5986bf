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

from bookwise.core.errors import ApplicationError
from bookwise.imports.services import import_file
from bookwise.people.models import Rep
from bookwise.plans.reminders import reminders_send
from bookwise.plans.reports import overdue_report
from bookwise.rebalance.queued import run_queued as _rebalance_propose
from bookwise.retention.services import revenue_rollup_refresh
from bookwise.transfers import planning
from bookwise.transfers.coverage import co_coverage_end_due

Progress = Callable[[int, int | None], None]  # (done, total or None)
Outcome = str | tuple[str, str]  # the result's sentence, or (sentence, the URL of its page)
SHOW_ERRORS = 20


@dataclass(frozen=True)
class JobSpec:
    run: Callable[[dict[str, Any], Progress, Any], Outcome]  # (params, progress, the user)
    retry_safe: bool  # all-or-nothing and idempotent: an interrupted attempt may run again
    admin_only: bool = True


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


def _rollup(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    rows = revenue_rollup_refresh(account_ids=params.get("account_ids"))
    return f"Revenue rollup refreshed: {rows:,} account-months."


def _remind(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    sent = reminders_send(day=timezone.localdate())
    return f"{len(sent)} plan review reminder(s) sent."


def _end_co_coverage(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    done = co_coverage_end_due(day=timezone.localdate())
    return f"{len(done)} co-coverage period(s) ended."


def _overdue(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    rows = overdue_report(day=timezone.localdate())
    return f"{len(rows)} account plan review(s) overdue."


def _reassignment_plan(params: dict[str, Any], progress: Progress, user: Any) -> Outcome:
    """Solve a rep's whole book into a draft reassignment plan (transfers.planning)."""
    rep = Rep.objects.get(external_id=params["rep_id"])
    plan = planning.plan_create(
        from_rep=rep, actor=user, day=date.fromisoformat(params["day"]),
        effective_date=date.fromisoformat(params["effective_date"]), reason=params["reason"],
    )
    lines = plan.lines.count()
    text = f"Reassignment plan for {rep.name}: {lines} account{'s' if lines != 1 else ''}, ready for review."
    return text, reverse("transfers:plan", kwargs={"plan_id": plan.pk})


JOBS: dict[str, JobSpec] = {
    "import_file": JobSpec(_import, retry_safe=True),
    "rollup_refresh": JobSpec(_rollup, retry_safe=True),
    "plans_remind": JobSpec(_remind, retry_safe=True),  # sends once per plan and due date
    "end_co_coverage": JobSpec(_end_co_coverage, retry_safe=True),
    "overdue_scan": JobSpec(_overdue, retry_safe=True),
    "reassignment_plan": JobSpec(_reassignment_plan, retry_safe=True),  # one transaction
    "rebalance_propose": JobSpec(_rebalance_propose, retry_safe=True),  # one transaction, once per batch
}
