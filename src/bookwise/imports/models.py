"""Column mappings saved by name (from the web wizard or `bookwise mapping save`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bookwise.core.models import BaseModel


class SavedMapping(BaseModel):
    """A mapping for one import kind, kept as its YAML (`imports.mapping.model`)."""

    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20)
    body = models.TextField(help_text="The mapping as YAML")
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="saved_mapping_name_kind")]
        ordering = ["name", "kind"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class ImportRun(BaseModel):
    """One import confirmed in the web import wizard: what was imported through which
    mapping, and how it went (queued, running, done or failed, the counts and the errors),
    for the wizard's result page. The job queue runs it (`imports.wizard.runs.run_import`)."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [(QUEUED, "Queued"), (RUNNING, "Running"), (DONE, "Done"), (FAILED, "Failed")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20)
    filename = models.CharField(max_length=255)
    sheet = models.CharField(max_length=255, blank=True)
    path = models.CharField(max_length=500, help_text="The uploaded file, kept until the import ends")
    mapping = models.TextField(help_text="The mapping as YAML")
    state = models.CharField(max_length=10, choices=STATES, default=QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, help_text="[line, column, message] of each error kept")
    notes = models.JSONField(default=list)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.kind}, {self.state})"
