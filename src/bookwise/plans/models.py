from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from bookwise.accounts.models import Account
from bookwise.core.models import BaseModel
from bookwise.core.money import MoneyField
from bookwise.people.models import Rep

# The sections of a one-page plan, in page order: key -> label.
SECTIONS = {
    "situation": "Situation summary",
    "objectives": "Objectives",
    "revenue_target": "Revenue target",
    "growth_strategy": "Growth strategy",
    "risks": "Risks and obstacles",
    "contacts": "Key contacts and relationships",
    "actions": "Actions",
}
DEFAULT_REQUIRED = ("situation", "objectives", "revenue_target")


def default_sections() -> list[dict]:
    return [{"key": k, "label": v, "required": k in DEFAULT_REQUIRED} for k, v in SECTIONS.items()]


class PlanTemplate(BaseModel):
    """Which sections a plan shows and which must be filled before it is submitted."""

    name = models.CharField(max_length=120, unique=True)
    sections = models.JSONField(default=default_sections)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_plan_template"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlanMark(BaseModel):
    """A manager marked this account as needing a plan, whatever its tier."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="plan_mark")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return f"plan needed for {self.account_id}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    ARCHIVED = "archived", "Archived"


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class AccountPlan(BaseModel):
    """The one-page plan of an account for a plan year (calendar year)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField()
    template = models.ForeignKey(PlanTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default="draft")
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    situation = models.TextField(blank=True)
    revenue_target = MoneyField(null=True, blank=True)
    gp_target = MoneyField(null=True, blank=True)
    growth_strategy = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    contacts = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0, help_text="Last approved version (0 = never)")
    first_approved_on = models.DateField(null=True, blank=True, help_text="Anchor of the review cadence")
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "account_id"]
        indexes = [models.Index(fields=["year", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year"],
                condition=~Q(status="archived"),
                name="one_live_plan_per_account_year",
            ),
        ]

    def __str__(self) -> str:
        return f"plan {self.year} for {self.account_id}"


class ObjectiveKind(models.TextChoices):
    REVENUE = "revenue", "Revenue"
    GROSS_PROFIT = "gross_profit", "Gross profit"
    PRODUCT_LINE = "product_line", "Product line adopted"
    DEPARTMENT = "department", "New department reached"
    AGREEMENT = "agreement", "Supply agreement secured"


class ObjectiveStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    MISSED = "missed", "Missed"


class PlanObjective(BaseModel):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="objectives")
    description = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=ObjectiveKind.choices)
    target = models.CharField(max_length=120, help_text="Amount, product line or department")
    owner = models.ForeignKey(Rep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ObjectiveStatus.choices, default="open")

    class Meta:
        ordering = ["plan_id", "id"]

    def __str__(self) -> str:
        return self.description


class PlanAction(BaseModel):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=255)
    owner = models.ForeignKey(Rep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["plan_id", "id"]

    def __str__(self) -> str:
        return self.description


class PlanVersion(BaseModel):
    """A frozen copy of the plan as approved; every approved version is kept."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    approved_on = models.DateField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"v{self.number} of {self.plan_id}"


class PlanReview(BaseModel):
    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="reviews")
    number = models.PositiveIntegerField(help_text="Which due review this one answers (1, 2, ...)")
    due_date = models.DateField()
    review_date = models.DateField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    progress = models.JSONField(default=list, blank=True)
    revenue_to_date = MoneyField()
    prorated_target = MoneyField(null=True, blank=True)
    notes = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)

    class Meta:
        ordering = ["plan_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_review_unique")]

    def __str__(self) -> str:
        return f"review {self.number} of {self.plan_id}"


class ReviewReminder(models.Model):
    """One reminder email per plan and due date (makes `plans remind` idempotent)."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "due_date"], name="review_reminder_once")]

    def __str__(self) -> str:
        return f"reminder {self.plan_id} {self.due_date}"
