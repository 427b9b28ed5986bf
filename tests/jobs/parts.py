"""A commission run's job with two parts, the first done and the second queued (the jobs
API's and the jobs page's tests follow it as a whole)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from bookwise.jobs.models import Job


def run_with_parts(user: Any) -> tuple[Job, Job, Job]:
    whole = Job.objects.create(
        name="commissions_run", label="Commission run 2026-Q2", user=user, state=Job.DONE,
        result="2 chunk(s) in 2 job(s) queued", finished_at=timezone.now(),
    )  # fmt: skip
    first, second = (
        Job.objects.create(name="commissions_run_chunk", label=f"part {n}", user=user, parent=whole)
        for n in (1, 2)
    )
    Job.objects.filter(pk=first.pk).update(state=Job.DONE, finished_at=timezone.now())
    return whole, first, second
