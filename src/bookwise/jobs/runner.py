"""A job's life: queued (a row, then a message on the queue), running on a worker (its
progress and heartbeat in the shared cache), done or failed. A worker that dies mid-job is
noticed (its process is gone, or its heartbeat stops) and the job is queued again when it is
retry-safe, else reported failed; its work was one transaction, so nothing is half-written."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.db.models import F
from django.utils import timezone

from bookwise.core.actor import serving
from bookwise.core.errors import ApplicationError

from .models import Job
from .registry import JOBS

log = logging.getLogger("bookwise.jobs")
MAX_ATTEMPTS = 3
HEARTBEAT_SECONDS = 5.0
Send = Callable[[int], Any]  # puts the job's id on the queue (tasks.run_job)
_running: ContextVar[int | None] = ContextVar("bookwise_job_running", default=None)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def progress_key(job_id: int) -> str:
    return f"jobs:{job_id}:progress"


def progress_of(job_id: int) -> dict[str, Any] | None:
    """{"done": n, "total": n or None, "at": epoch seconds} of a running job, if reported."""
    return cache.get(progress_key(job_id))


def _report(job_id: int, done: int, total: int | None) -> None:
    cache.set(progress_key(job_id), {"done": done, "total": total, "at": time.time()}, 3600)


def create(name: str, *, user: Any, label: str, params: dict[str, Any]) -> Job:
    """A queued job; one created by a running job (a commission run's parts) is its part."""
    if name not in JOBS:
        raise ApplicationError(f"there is no job {name!r}")
    return Job.objects.create(name=name, label=label, params=params, user=user, parent_id=_running.get())


@contextmanager
def _heartbeat(job_id: int) -> Iterator[Callable[[int, int | None], None]]:
    """Keep the job's heartbeat fresh while it runs (also when it reports no progress)."""
    state = {"done": 0, "total": None}
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            _report(job_id, state["done"], state["total"])  # type: ignore[arg-type]

    def progress(done: int, total: int | None) -> None:
        state.update(done=done, total=total)
        _report(job_id, done, total)

    _report(job_id, 0, None)
    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield progress
    finally:
        stop.set()


def _fresh_connections() -> None:
    """A worker's connections may be stale between jobs (not inside a test's transaction,
    where jobs run in the caller)."""
    if not connection.in_atomic_block:
        close_old_connections()


def run(job_id: int, resend: Send) -> None:
    """Run job `job_id` on this worker (the queue's task calls this)."""
    _fresh_connections()
    job = _claim(job_id)
    if job is None:
        return
    spec = JOBS[job.name]
    started = time.perf_counter()
    running = _running.set(job.pk)
    try:
        with _heartbeat(job.pk) as progress, serving(SimpleNamespace(user=job.user, path="/jobs/")):
            outcome = spec.run(job.params, progress, job.user)
    except (OperationalError, InterfaceError) as error:  # the database went away: try again later
        _retry_or_fail(job, f"the database was unavailable ({error})", resend, spec.retry_safe)
    except ApplicationError as error:
        _finish(job, Job.FAILED, error=error.message, started=started)
    except Exception as error:
        log.exception("job %s failed", job.pk)
        _finish(job, Job.FAILED, error=f"{type(error).__name__}: {error}", started=started)
    else:
        text, link = (outcome, "") if isinstance(outcome, str) else outcome
        _finish(job, Job.DONE, result=text, link=link, started=started)
    finally:
        _running.reset(running)
        _fresh_connections()


def _claim(job_id: int) -> Job | None:
    """Mark a queued job running on this worker; None when it is gone or not queued (a
    duplicate message)."""
    claimed = Job.objects.filter(pk=job_id, state=Job.QUEUED).update(
        state=Job.RUNNING, worker=worker_name(), started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    job = Job.objects.select_related("user").get(pk=job_id)
    _log(job, "running")
    return job


def _finish(
    job: Job, state: str, *, started: float, result: str = "", error: str = "", link: str = ""
) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=state, result=result, error=error, link=link, finished_at=timezone.now()
    )
    cache.delete(progress_key(job.pk))
    job.state, job.result, job.error = state, result, error
    _log(job, state, seconds=round(time.perf_counter() - started, 2))


def not_queued(job: Job, error: Exception) -> None:
    """The queue refused the job: it never ran."""
    why = f"the job queue could not be reached ({type(error).__name__}: {error}); nothing was started"
    Job.objects.filter(pk=job.pk).update(state=Job.FAILED, error=why, finished_at=timezone.now())
    _log(job, "failed", why=why)


def _retry_or_fail(job: Job, why: str, resend: Send, retry_safe: bool) -> None:
    """An attempt that did not finish (its transaction rolled back): queue it again when that
    is safe and attempts remain, else report it failed."""
    cache.delete(progress_key(job.pk))
    if retry_safe and job.attempts < MAX_ATTEMPTS:
        Job.objects.filter(pk=job.pk).update(state=Job.QUEUED, worker="", error=why)
        _log(job, "retried", why=why)
        resend(job.pk)
        return
    error = f"{why}; nothing was written (tried {job.attempts} time(s))"
    Job.objects.filter(pk=job.pk).update(state=Job.FAILED, error=error, finished_at=timezone.now())
    _log(job, "failed", why=why)


def reap(resend: Send, *, only_this_host: bool = False) -> int:
    """Running jobs whose worker is gone: on this host, a process that no longer exists; on
    any host, no heartbeat for BOOKWISE_JOB_STALE_SECONDS. Each is retried or failed."""
    stale = float(getattr(settings, "BOOKWISE_JOB_STALE_SECONDS", 120))
    host = socket.gethostname()
    count = 0
    for job in Job.objects.filter(state=Job.RUNNING):
        job_host, _, pid = job.worker.rpartition(":")
        if job_host == host and pid.isdigit() and not _alive(int(pid)):
            why = f"the worker {job.worker} stopped in the middle of the job"
        elif only_this_host or not _stale(job, stale):
            continue
        else:
            why = f"the worker {job.worker} has not been heard of for {stale:.0f} s"
        _retry_or_fail(job, why, resend, JOBS[job.name].retry_safe if job.name in JOBS else False)
        count += 1
    return count


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(job: Job, seconds: float) -> bool:
    beat = progress_of(job.pk)
    last = beat["at"] if beat else (job.started_at.timestamp() if job.started_at else 0.0)
    return time.time() - last > seconds


def _log(job: Job, state: str, **extra: Any) -> None:
    fields = {
        "job_id": job.pk,
        "job": job.name,
        "state": state,
        "attempt": job.attempts,
        "worker": job.worker,
        **extra,
    }
    log.info(
        "job %s %s %s attempt=%s %s",
        job.pk,
        job.name,
        state,
        job.attempts,
        " ".join(f"{k}={v}" for k, v in extra.items()),
        extra=fields,
    )
