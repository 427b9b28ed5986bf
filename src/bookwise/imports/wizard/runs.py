"""The confirmed import of the wizard: an `ImportRun` (what, through which mapping, by whom),
run by the job queue (`run_import`, the `import_mapped` job) or, without a queue, in the
request; its progress in the shared cache, its counts and errors kept for the result page
and the errors CSV."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from bookwise.core.cells import csv_safe
from bookwise.imports.mapping import library
from bookwise.imports.mapping.model import MappingError
from bookwise.imports.models import ImportRun
from bookwise.imports.parsers import RowError
from bookwise.imports.services import ImportReport, import_file
from bookwise.people.selectors import scope_for

Progress = Callable[[int, int | None], None]
EVERY = 500  # rows between two progress reports
CSV_HEADER = ["file", "line", "column", "error"]


def create_run(*, user: Any, entry: dict[str, Any]) -> ImportRun:
    """The run of a previewed upload (the file now belongs to it)."""
    return ImportRun.objects.create(
        user=user,
        kind=entry["kind"],
        filename=entry["name"],
        sheet=entry["sheet"],
        path=entry["path"],
        mapping=entry["yaml"],
        rows_total=entry["rows"] or None,
    )


def progress_key(run_id: int) -> str:
    return f"imports:run:{run_id}:progress"


def progress_of(run: ImportRun) -> int:
    """Rows read so far by a running import."""
    return int(cache.get(progress_key(run.pk)) or 0)


def run_import(run_id: int, progress: Progress | None = None) -> ImportRun:
    """Import the run's file through its mapping, all or nothing; the run records the
    counts, or the errors. A run already finished is left as it is (a duplicate message)."""
    run = ImportRun.objects.get(pk=run_id)
    if run.state in (ImportRun.DONE, ImportRun.FAILED):
        return run
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.RUNNING)
    path = Path(run.path)
    if not path.is_file():
        return _finish(run, message=f"the uploaded file {run.filename} is gone; upload it again")
    try:
        mapping = library.parse_yaml(run.mapping, kind=run.kind)
    except MappingError as error:
        return _finish(run, message=f"the mapping is not valid: {error}")
    report = import_file(
        kind=run.kind,
        path=path,
        filename=run.filename,
        mapping=mapping,
        sheet=run.sheet or None,
        progress=_counting(run, progress),
    )
    path.unlink(missing_ok=True)
    return _finish(run, report=report)


def _counting(run: ImportRun, progress: Progress | None) -> Callable[[Any], Iterator[Any]]:
    def counted(rows: Any) -> Iterator[Any]:
        number = 0
        for number, row in enumerate(rows, start=1):
            if number % EVERY == 0:
                cache.set(progress_key(run.pk), number, 3600)
                if progress is not None:
                    progress(number, run.rows_total)
            yield row
        cache.set(progress_key(run.pk), number, 3600)

    return counted


def _finish(run: ImportRun, *, report: ImportReport | None = None, message: str = "") -> ImportRun:
    if report is not None:
        run.created, run.updated = report.created, report.updated
        run.unchanged, run.deleted = report.unchanged, report.deleted
        run.error_count = report.error_count
        run.errors = [[e.line, e.column, e.message] for e in sorted(report.errors)]
        run.notes, message = list(report.notes), report.stopped
    ok = report is not None and report.ok
    run.state = ImportRun.DONE if ok else ImportRun.FAILED
    run.message = message
    run.finished_at = timezone.now()
    run.save()
    cache.delete(progress_key(run.pk))
    return run


def runs_for(user: Any) -> QuerySet[ImportRun]:
    """The runs a user may follow: their own; an administrator's, everybody's."""
    runs = ImportRun.objects.select_related("user")
    return runs if scope_for(user).admin else runs.filter(user_id=int(user.pk or 0))


def summary(run: ImportRun) -> str:
    text = f"{run.kind}: {run.created:,} created, {run.updated:,} updated, {run.unchanged:,} unchanged"
    return text + (f", {run.deleted:,} deleted" if run.deleted else "")


def error_lines(filename: str, errors: list[RowError]) -> list[list[str]]:
    """The errors as CSV rows (file, line, column, error), formula cells neutralised."""
    rows = [CSV_HEADER]
    for error in errors:
        line = str(error.line) if error.line else ""
        rows.append([csv_safe(filename), line, csv_safe(error.column), csv_safe(error.message)])
    return rows


def run_errors(run: ImportRun) -> list[RowError]:
    errors = [RowError(int(line), str(column), str(message)) for line, column, message in run.errors]
    if run.error_count > len(errors):
        errors.append(RowError(0, "-", f"... and {run.error_count - len(errors)} more errors"))
    if run.message:
        errors.append(RowError(0, "-", run.message))
    return errors


def report_errors(report: ImportReport) -> list[RowError]:
    errors = sorted(report.errors)
    if report.error_count > len(errors):
        errors.append(RowError(0, "-", f"... and {report.error_count - len(errors)} more errors"))
    if report.stopped:
        errors.append(RowError(0, "-", report.stopped))
    return errors
