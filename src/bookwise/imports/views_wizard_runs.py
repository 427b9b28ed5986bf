"""The wizard's result pages: a confirmed import's progress (a bar, the page refreshes itself
while the job runs; leave and come back from /jobs/ or the wizard), its counts, its errors,
and the errors as CSV (of a run, or of the preview's dry run)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .parsers import RowError
from .views_wizard import SHOW_ERRORS, _gone, importers_only
from .wizard import preview, runs, state, steps


@importers_only
def wizard_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(runs.runs_for(request.user), pk=run_id)
    busy = run.state in (run.QUEUED, run.RUNNING)
    errors = [e.render(run.filename) for e in runs.run_errors(run)]
    context = {
        "run": run,
        "busy": busy,
        "done_rows": runs.progress_of(run) if busy else 0,
        "summary": runs.summary(run),
        "errors": errors[:SHOW_ERRORS],
    }
    return render(request, "imports/wizard_run.html", context)


@importers_only
def wizard_run_errors(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(runs.runs_for(request.user), pk=run_id)
    return _csv(run.filename, runs.run_errors(run))


@importers_only
def wizard_preview_errors(request: HttpRequest, token: str) -> HttpResponse:
    """The preview's errors as CSV: the dry run again, on the upload kept server-side."""
    entry = state.get(session=request.session, token=token)
    if entry is None:
        return _gone(request)
    report, _ = preview.dry_run(entry, steps.mapping_of(entry["yaml"], entry["kind"]))
    return _csv(entry["name"], runs.report_errors(report))


def _csv(filename: str, errors: list[RowError]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stem = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(filename).stem) or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-errors.csv"'
    csv.writer(response).writerows(runs.error_lines(filename, errors))
    return response
