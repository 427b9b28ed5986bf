"""Jobs over the API: follow work queued in the background (a commission run started with
`"background": true`). A user follows their own jobs; administrators and sales ops
everybody's (follow.sees_every_job); another user's job is not found (404)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from bookwise.core.errors import Forbidden, NotFound

from .follow import follow, page_of, result_api_url, sees_every_job, top_jobs, visible_jobs
from .models import Job

router = Router(tags=["jobs"])
LISTED = 50


class JobProgress(Schema):
    done: int
    total: int | None  # None while the total is not known yet (rows of a file being read)


class JobOut(Schema):
    id: int
    name: str  # the kind of job: "commissions_run", "import_file", ...
    label: str  # what the user sees: "Commission run 2026-Q2"
    state: str  # queued | running | done | failed (a job with parts: of them all)
    user: str | None  # who asked for it (None: the scheduler or the command line)
    progress: JobProgress | None  # while running: done of total (a run's parts, rows read...)
    progress_text: str  # the progress as the jobs page says it ("2 of 4 parts done")
    result: str  # a sentence, once done
    error: str | None  # why it failed
    warning: str | None  # done, but a follow-up failed (the rollups' rebuild after an import): why
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    url: str  # this job in the API
    page: str  # the job's line on /jobs/
    link: str | None  # the result's page, once done (a commission run: the run's page)
    result_url: str | None  # the result in the API, when it has one (a run: /api/commissions/runs/<id>)


def job_out(job: Job) -> JobOut:
    whole = follow(job)
    progress = JobProgress(**whole.progress) if whole.progress else None  # type: ignore[arg-type]
    return JobOut(
        id=job.pk, name=job.name, label=job.label, state=whole.state,
        user=job.user.get_username() if job.user else None,
        progress=progress, progress_text=whole.words, result=whole.result, error=whole.error or None,
        warning=whole.warning or None,
        created_at=job.created_at, started_at=job.started_at, finished_at=whole.finished_at,
        url=reverse("api-1:job", kwargs={"job_id": job.pk}), page=page_of(job),
        link=whole.link or None, result_url=result_api_url(whole.link) if whole.link else None,
    )  # fmt: skip


@router.get("/jobs", response=list[JobOut])
def jobs(request: HttpRequest, everybody: bool = False) -> list[JobOut]:
    """The caller's most recent jobs (50), newest first, without the parts a job queued;
    `everybody=true`: everybody's, for those who follow every job (else 403)."""
    if everybody and not sees_every_job(request.user):
        raise Forbidden("Only administrators and sales ops follow everybody's jobs.")
    shown = top_jobs(request.user)
    if not everybody:
        shown = shown.filter(user_id=int(request.user.pk or 0))
    return [job_out(job) for job in shown[:LISTED]]


@router.get("/jobs/{job_id}", response=JobOut, url_name="job")
def job_detail(request: HttpRequest, job_id: int) -> JobOut:
    job = visible_jobs(request.user).filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"No job {job_id} that you may follow.")
    return job_out(job)
