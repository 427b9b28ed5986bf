"""A job: work queued for a worker, followed by the user who asked for it on /jobs/."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Job(models.Model):
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [(QUEUED, "Queued"), (RUNNING, "Running"), (DONE, "Done"), (FAILED, "Failed")]

    name = models.CharField(max_length=60)  # the registered job (jobs.registry.JOBS)
    label = models.CharField(max_length=200)  # what the user sees: "Import orders.csv"
    params = models.JSONField(default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the job that queued this one while it ran (a commission run's parts): the API follows
    # a job with parts until every part is finished (jobs.follow)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="parts")
    state = models.CharField(max_length=10, choices=STATES, default=QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=120, blank=True)  # host:pid of the worker running it
    result = models.TextField(blank=True)  # a sentence when done
    link = models.CharField(max_length=200, blank=True)  # where the result is, when it is a page
    error = models.TextField(blank=True)  # why it failed
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state"], name="jobs_job_state_idx")]

    def __str__(self) -> str:
        return f"{self.label} ({self.state})"
