"""/jobs/: a user follows their jobs (an administrator sees everybody's); /healthz and
/readyz for a load balancer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from huey.contrib.djhuey import HUEY

from bookwise.people.selectors import scope_for

from .follow import follow, sees_every_job, top_jobs, visible_jobs
from .models import Job
from .runner import create, progress_of
from .tasks import send_or_refuse

SHOWN = 100
#: what an administrator may start from the page, now rather than at its scheduled time
STARTABLE = {
    "rollup_refresh": "Refresh the revenue rollup",
    "plans_remind": "Send the plan review reminders",
    "agreements_remind": "Send the agreement renewal reminders and expire ended agreements",
    "end_co_coverage": "End the co-coverage periods that are over",
    "overdue_scan": "Scan for overdue plan reviews",
}


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    admin = scope_for(request.user).admin
    jobs = top_jobs(request.user)  # a job with parts is one line
    rows = [follow(job) for job in jobs[:SHOWN]]
    busy = any(row.state in (Job.QUEUED, Job.RUNNING) for row in rows)
    context = {
        "rows": rows,
        "everybody": sees_every_job(request.user),
        "admin": admin,
        "busy": busy,
        "total": jobs.count(),
        "startable": STARTABLE.items() if admin else [],
    }
    return render(request, "jobs/list.html", context)


@require_POST
@login_required
def job_start(request: HttpRequest) -> HttpResponse:
    """An administrator starts one of STARTABLE now; it is queued like any other job."""
    if not scope_for(request.user).admin:
        raise PermissionDenied("Only administrators start jobs.")
    name = request.POST.get("name", "")
    if name not in STARTABLE:
        messages.error(request, f"Job: {name!r} is not one of {', '.join(STARTABLE)}.")
        return redirect("jobs:list")
    job = create(name, user=request.user, label=STARTABLE[name], params={})
    send_or_refuse(job)
    messages.success(request, f"{STARTABLE[name]}: queued.")
    return redirect(reverse("jobs:list") + f"#job-{job.pk}")


@login_required
def job_detail(request: HttpRequest, job_id: int) -> JsonResponse:
    """One job as JSON (for a script following it); another user's job is not found."""
    job = visible_jobs(request.user).filter(pk=job_id).first()
    if job is None:
        return JsonResponse({"message": f"no job {job_id}"}, status=404)
    whole = follow(job)  # a job with parts (a commission run's) is running until they are done
    data: dict[str, Any] = {"id": job.pk, "label": job.label, "attempts": job.attempts}
    data |= {"state": whole.state, "result": whole.result, "link": whole.link, "error": whole.error}
    # a running job's own report ({"done", "total", "at"}), or its parts done of all of them
    data["progress"] = whole.progress if job.parts.exists() else progress_of(job.pk)
    return JsonResponse(data)


def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    """The database and the queue answer: this process can take traffic (503 when not)."""
    checks = {"database": _check(_database), "queue": _check(_queue)}
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)


def _check(probe: Any) -> str:
    try:
        probe()
    except Exception as error:  # any failure means "not ready", with its reason
        return f"error: {error}"
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _queue() -> None:
    HUEY.pending_count()
