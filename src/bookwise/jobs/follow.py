"""Who sees which jobs, and a job as its user follows it: its progress in words (the jobs
page) and, for a job that queued parts (a commission run's), the whole: still running until
every part is finished, failed when one failed, done with the result of the part that has
one. A follow-up part (registry.JobSpec.follow_up: the rollups' rebuild after an import)
that failed leaves the whole done, its failure told beside the result (`warning`). The API
(jobs/api.py) and the pages (views.py) read jobs through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from bookwise.people.selectors import scope_for

from .models import Job
from .registry import JOBS
from .runner import progress_of

#: the API URL of a result's page, by the page's URL name (the same object through the API)
RESULT_API = {"commissions:run": "api-1:commissions_run"}


def sees_every_job(user: Any) -> bool:
    """Administrators and sales ops (who see everything) follow everybody's jobs."""
    scope = scope_for(user)
    return scope.admin or scope.sales_ops


def top_jobs(user: Any) -> QuerySet[Job]:
    """The jobs `user` may follow that no job queued (a run, not its parts), with their parts."""
    return visible_jobs(user).filter(parent__isnull=True).prefetch_related("parts")


def visible_jobs(user: Any) -> QuerySet[Job]:
    """The jobs `user` may follow: their own, or everybody's (sees_every_job)."""
    jobs = Job.objects.select_related("user")
    return jobs if sees_every_job(user) else jobs.filter(user_id=int(user.pk or 0))


def progress_words(job: Job) -> str:
    """A running job's progress as the jobs page shows it ("1,200 of 5,000"); "" otherwise."""
    if job.state != Job.RUNNING:
        return ""
    beat = progress_of(job.pk) or {}
    done, total = beat.get("done", 0), beat.get("total")
    return f"{done:,} of {total:,}" if total else (f"{done:,} rows read" if done else "started")


@dataclass(frozen=True)
class Followed:
    """A job as a whole: with its parts when it has any."""

    job: Job
    state: str
    progress: dict[str, int | None] | None  # {"done": n, "total": n or None} while running
    words: str  # the progress in words
    result: str
    error: str
    link: str
    finished_at: datetime | None
    warning: str = ""  # a follow-up part's failure, the whole being done

    @property
    def state_label(self) -> str:
        return dict(Job.STATES)[self.state]


def follow(job: Job) -> Followed:
    parts = sorted(job.parts.all(), key=lambda part: part.pk) if job.state == Job.DONE else []
    if not parts:
        progress = None
        if job.state == Job.RUNNING:
            beat = progress_of(job.pk) or {}
            progress = {"done": beat.get("done", 0), "total": beat.get("total")}
        return Followed(
            job, job.state, progress, progress_words(job), job.result, job.error, job.link, job.finished_at
        )
    return _whole(job, parts)


def _whole(job: Job, parts: list[Job]) -> Followed:
    failed = [part for part in parts if part.state == Job.FAILED]
    if any(not _follows_up(part) for part in failed):
        error = "; ".join(f"{part.label}: {part.error}" for part in failed)
        last = max(part.finished_at or job.created_at for part in failed)
        return Followed(job, Job.FAILED, None, "", job.result, error, "", last)
    done = sum(part.state == Job.DONE for part in parts) + len(failed)
    if done < len(parts):
        words = f"{done:,} of {len(parts):,} parts done"
        progress: dict[str, int | None] = {"done": done, "total": len(parts)}
        return Followed(job, Job.RUNNING, progress, words, job.result, "", "", None)
    with_link = [part for part in parts if part.link]
    result = with_link[-1].result if with_link else job.result
    link = job.link or (with_link[-1].link if with_link else "")
    finished = max(part.finished_at or job.created_at for part in parts)
    warning = " ".join(f"{p.label} failed: {p.error.rstrip('.')}. {_follows_up(p)}" for p in failed)
    return Followed(job, Job.DONE, None, "", result, "", link, finished, warning)


def _follows_up(part: Job) -> str:
    """What the failure of `part` leaves, when it is a follow-up (registry.JobSpec); "" else."""
    spec = JOBS.get(part.name)
    return spec.follow_up if spec else ""


def result_api_url(link: str) -> str | None:
    """The API URL of the object at the result's page `link`, when the API has it."""
    try:
        match = resolve(link)
        name = RESULT_API.get(match.view_name)
        return reverse(name, kwargs=match.kwargs) if name else None
    except (Resolver404, NoReverseMatch):
        return None


def page_of(job: Job) -> str:
    """The job's line on /jobs/."""
    return reverse("jobs:list") + f"#job-{job.pk}"
