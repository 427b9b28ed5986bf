"""The queue (huey, through huey.contrib.djhuey and settings.HUEY): one task runs any job by
its id; the daily work is scheduled here by huey's own scheduler at the times of
settings.BOOKWISE_SCHEDULE (no cron); a reaper notices jobs whose worker died."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from bookwise.core.background import Queued
from bookwise.core.errors import ApplicationError

from . import runner
from .follow import page_of
from .models import Job


@db_task()
def run_job(job_id: int) -> None:
    runner.run(job_id, send)


def send(job_id: int) -> None:
    """Put job `job_id` on the queue."""
    run_job(job_id)


class QueueUnavailable(ApplicationError):
    status_code = 503


def send_or_refuse(job: Job) -> None:
    """Queue `job`; when the queue cannot be reached the job is marked failed and the user
    told, with nothing started."""
    try:
        send(job.pk)
    except Exception as error:  # whatever the storage raises (Redis, SQLite): not queued
        runner.not_queued(job, error)
        raise QueueUnavailable(
            f"The job queue cannot be reached ({type(error).__name__}); nothing was started. "
            "Try again in a minute, or tell your administrator."
        ) from error


def enqueue(name: str, *, user: Any, label: str, params: dict[str, Any], follow: bool = True) -> Queued:
    """core.background's hook: queue the job; where the user follows it (its result's page
    when it is already done, on a queue that runs jobs in the caller) and its API URL, unless
    nobody follows it (`follow=False`: both left empty)."""
    job = runner.create(name, user=user, label=label, params=params)
    send_or_refuse(job)
    job.refresh_from_db()
    if not follow:
        return Queued(id=job.pk, state=job.state, page="", url="")
    page = job.link if job.state == Job.DONE and job.link else page_of(job)
    return Queued(id=job.pk, state=job.state, page=page, url=reverse("api-1:job", kwargs={"job_id": job.pk}))


def daily_at(name: str) -> Any:
    """huey's crontab for the daily time (HH:MM, UTC) configured for `name`; never when off."""
    value = settings.BOOKWISE_SCHEDULE.get(name, "off")
    if value == "off":
        return lambda _when: False
    hour, _, minute = value.partition(":")
    return crontab(minute=str(int(minute)), hour=str(int(hour)))


def _scheduled(name: str, label: str) -> None:
    send(runner.create(name, user=None, label=label, params={}).pk)


@db_periodic_task(daily_at("plans_remind"))
def plans_remind() -> None:
    _scheduled("plans_remind", "Plan review reminders (scheduled)")


@db_periodic_task(daily_at("agreements_remind"))
def agreements_remind() -> None:
    _scheduled("agreements_remind", "Agreement renewal reminders and expiries (scheduled)")


@db_periodic_task(daily_at("end_co_coverage"))
def end_co_coverage() -> None:
    _scheduled("end_co_coverage", "End of co-coverage periods (scheduled)")


@db_periodic_task(daily_at("overdue_scan"))
def overdue_scan() -> None:
    _scheduled("overdue_scan", "Overdue plan reviews scan (scheduled)")


@db_periodic_task(crontab(minute="*"))
def reap_jobs() -> None:
    runner.reap(send)
