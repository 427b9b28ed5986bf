from __future__ import annotations

import json
import zlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from bookwise.core.models import BaseModel
from bookwise.core.money import MoneyField
from bookwise.people.models import Rep

from .compute.statements import StatementLine, as_lines
from .present import line_dicts


class CommissionPlan(BaseModel):
    """A named plan; its rules live in versions, the newest being the one in force."""

    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def latest(self) -> PlanVersion | None:
        return self.versions.order_by("-version").first()


class PlanVersion(BaseModel):
    """One immutable version of a plan (the canonical JSON of planfile.plan_to_json)."""

    plan = models.ForeignKey(CommissionPlan, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    spec = models.JSONField()
    period = models.CharField(max_length=10)
    valid_from = models.DateField()
    valid_to = models.DateField()
    source = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["plan__name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="commission_plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan.name} v{self.version}"


class QuotaOverride(BaseModel):
    rep = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="quota_overrides")
    period = models.CharField(max_length=10)
    quota = MoneyField()

    class Meta:
        ordering = ["period", "rep__external_id"]
        constraints = [
            models.UniqueConstraint(fields=["rep", "period"], name="commission_quota_override_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rep.external_id} {self.period} {self.quota}"


class RebateProgramme(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    year = models.PositiveIntegerField(db_index=True)
    tiers = models.JSONField(help_text='[{"from": "100000", "rate": "0.02"}, ...]')

    class Meta:
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class RunStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class Run(BaseModel):
    """Every statement of one period. A draft is replaced by the next run of its period;
    an approved run is frozen."""

    period = models.CharField(max_length=10, db_index=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default="draft")
    plan_versions = models.ManyToManyField(PlanVersion, related_name="runs", blank=True)
    commission = MoneyField(default=0)
    override = MoneyField(default=0)
    adjustments = MoneyField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"], condition=Q(status="draft"), name="commission_run_one_draft"
            ),
            models.UniqueConstraint(
                fields=["period"], condition=Q(status="approved"), name="commission_run_one_approved"
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.period} ({self.status})"

    @property
    def approved(self) -> bool:
        return self.status == RunStatus.APPROVED


class Statement(models.Model):
    """One rep's statement in a run. `data` is the statement as the JSON output shows it
    (adjustments included), `lines` its lines as compact rows, stored compressed (a run
    holds a million lines; see as_json); the money columns repeat what lists filter and
    sum."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="statements")
    rep = models.ForeignKey(Rep, on_delete=models.PROTECT, related_name="commission_statements")
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="statements")
    commission = MoneyField()
    override = MoneyField()
    adjustments = MoneyField()
    data = models.JSONField()
    lines_blob = models.BinaryField(default=b"", help_text="zlib-compressed JSON rows (present.LINE_COLUMNS)")

    class Meta:
        ordering = ["run", "rep__external_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "rep"], name="commission_statement_one_per_rep")
        ]

    def __str__(self) -> str:
        return f"{self.rep.external_id} {self.run.period}"

    @property
    def total(self) -> Decimal:
        return self.commission + self.override + self.adjustments

    @property
    def lines(self) -> list[StatementLine]:
        """The statement's lines. Stored as zlib-compressed JSON: an array of arrays, one
        per line, in StatementLine's field order (docs/commissions.md)."""
        cached = getattr(self, "_lines", None)
        if cached is None:
            blob = bytes(self.lines_blob or b"")
            rows = json.loads(zlib.decompress(blob)) if blob else []
            cached = self._lines = as_lines(rows)
        return cached

    @lines.setter
    def lines(self, rows: list[StatementLine]) -> None:
        self._lines = as_lines(rows)
        self.lines_blob = zlib.compress(json.dumps(self._lines, separators=(",", ":")).encode(), 1)

    def as_json(self) -> dict[str, Any]:
        """The statement as the JSON output shows it, lines expanded."""
        return {**self.data, "lines": line_dicts(self.lines)}


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


ONE_OPEN_DISPUTE = "commission_dispute_one_open_per_line"


class Dispute(BaseModel):
    """A rep's objection to one statement line; accepted amounts are paid as an
    adjustment in the next approved run (`settled_in`)."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="disputes")
    order_id = models.CharField(max_length=64)
    comment = models.TextField()
    status = models.CharField(max_length=10, choices=DisputeStatus.choices, default="open")
    amount = MoneyField(null=True, blank=True, help_text="Adjustment paid when accepted")
    resolution = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    settled_in = models.ForeignKey(Run, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            # one open dispute per statement line, whatever the timing of two (services.disputes)
            models.UniqueConstraint(
                fields=["statement", "order_id"], condition=Q(status="open"), name=ONE_OPEN_DISPUTE
            )
        ]

    def __str__(self) -> str:
        return f"dispute {self.pk} on {self.order_id} ({self.status})"


class RunAttempt(models.Model):
    """A run being computed by workers chunk by chunk (services.run_chunks): the plan of
    its chunks; removed with its staged chunks once they are gathered into the run."""

    period = models.CharField(max_length=20)
    plan = models.JSONField()  # the chunks: lists of rep pks, in the run's order
    versions = models.JSONField(default=list)  # every plan version paying the period
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"run attempt {self.pk} of {self.period} ({len(self.plan)} chunks)"


class RunChunk(models.Model):
    """One chunk's statements, computed by a worker and staged (zlib-compressed JSON) until
    the gather writes the run; never a run's rows."""

    attempt = models.ForeignKey(RunAttempt, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    payload = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "index"], name="one_staged_chunk")]

    def __str__(self) -> str:
        return f"chunk {self.index} of run attempt {self.attempt_id}"
