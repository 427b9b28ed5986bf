"""Transfers of account ownership, their handoff interviews and mass-reassignment plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from bookwise.accounts.models import Account, OwnershipReason
from bookwise.core.models import BaseModel
from bookwise.people.models import Rep

# The ownership reasons a transfer may give: every one but `import` and the generic `transfer`.
TRANSFER_REASONS = [
    (value, label) for value, label in OwnershipReason.choices if value not in ("import", "transfer")
]


class TransferState(models.TextChoices):
    DRAFT = "draft", "Draft"
    HANDOFF = "handoff", "Handoff interview"
    INTRODUCED = "introduced", "Client introduced"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATES = (TransferState.DRAFT, TransferState.HANDOFF, TransferState.INTRODUCED)
ONE_OPEN_TRANSFER = "transfer_one_open_per_account_role"


class PlanState(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPLIED = "applied", "Applied"
    DISCARDED = "discarded", "Discarded"


class ReassignmentPlan(BaseModel):
    """A proposed assignment of a whole book (a leaving rep's, or a manager's) to reps."""

    from_rep = models.ForeignKey(Rep, on_delete=models.PROTECT, related_name="reassignment_plans")
    day = models.DateField()
    effective_date = models.DateField()
    reason = models.CharField(max_length=20, choices=TRANSFER_REASONS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    feasible = models.BooleanField(default=True)
    objective = models.FloatField(null=True)
    bound = models.FloatField(null=True)
    gap = models.FloatField(null=True)
    greedy_objective = models.FloatField(null=True)
    shortfalls = models.JSONField(default=list, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    bound_scope = models.CharField(max_length=60, blank=True, help_text="what the bound bounds")
    balance = models.JSONField(default=dict, blank=True)  # level, tolerance, ceiling, floor, met
    # accounts of the book left out: [{"account_id", "name", "reason"}]
    excluded = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"plan {self.pk} for {self.from_rep_id}"


class PlanLine(BaseModel):
    plan = models.ForeignKey(ReassignmentPlan, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    to_rep = models.ForeignKey(Rep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(null=True)
    points = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["plan_id", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "account"], name="plan_line_one_per_account")]


class Transfer(BaseModel):
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="transfers")
    role = models.CharField(
        max_length=10, default="primary", choices=[("primary", "Primary"), ("secondary", "Secondary")]
    )
    from_rep = models.ForeignKey(
        Rep, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_rep = models.ForeignKey(Rep, on_delete=models.PROTECT, related_name="transfers_in")
    effective_date = models.DateField()
    reason = models.CharField(max_length=20, choices=TRANSFER_REASONS)
    state = models.CharField(max_length=12, choices=TransferState.choices, default=TransferState.DRAFT)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    plan = models.ForeignKey(
        ReassignmentPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="transfers"
    )
    co_coverage_days = models.PositiveIntegerField(default=0, help_text="0 = no co-coverage")
    co_coverage_end = models.DateField(null=True, blank=True)
    co_coverage_ended = models.BooleanField(default=False)
    introduction_date = models.DateField(null=True, blank=True)
    introduction_attendees = models.CharField(max_length=500, blank=True)
    introduction_notes = models.TextField(blank=True)
    interview_waived = models.BooleanField(default=False)
    waiver_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "state"]), models.Index(fields=["to_rep", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_rep=models.F("to_rep")), name="transfer_to_someone_else"
            ),
            # At most one open transfer per account and role, whatever the timing of two
            # drafts (services.transfer_create turns the violation into a Conflict).
            models.UniqueConstraint(
                fields=["account", "role"],
                condition=Q(state__in=[s.value for s in OPEN_STATES]),
                name=ONE_OPEN_TRANSFER,
            ),
        ]

    def __str__(self) -> str:
        return f"transfer {self.pk} of {self.account_id}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


REQUIRED_SECTIONS = (
    "recent_sales",
    "upcoming_opportunities",
    "ongoing_obstacles",
    "past_obstacles",
    "key_contacts",
)
SECTION_LABELS = {
    "recent_sales": "Recent sales (last 12 months)",
    "upcoming_opportunities": "Upcoming opportunities",
    "ongoing_obstacles": "Ongoing obstacles",
    "past_obstacles": "How past obstacles were handled",
    "key_contacts": "Key contacts and relationships",
    "anything_else": "Anything else",
}


class HandoffInterview(BaseModel):
    """The exit interview: what the outgoing rep knows about the account."""

    transfer = models.OneToOneField(Transfer, on_delete=models.CASCADE, related_name="interview")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="handoff_interviews")
    outgoing_rep = models.ForeignKey(Rep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    interview_date = models.DateField(null=True, blank=True)
    attendees = models.CharField(max_length=500, blank=True)
    recent_sales = models.TextField(blank=True)
    upcoming_opportunities = models.TextField(blank=True)
    ongoing_obstacles = models.TextField(blank=True)
    past_obstacles = models.TextField(blank=True)
    key_contacts = models.TextField(blank=True)
    anything_else = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"interview for transfer {self.transfer_id}"

    def missing_sections(self) -> list[str]:
        return [name for name in REQUIRED_SECTIONS if not getattr(self, name).strip()]


class IntroductionAnswer(models.TextChoices):
    YES = "yes", "Introduced"
    NO = "no", "Not yet"
    WAIVED = "waived", "Waived, with a reason"


class InterviewContact(BaseModel):
    """One of the account's contacts in the handoff interview: has the incoming rep been
    introduced to them? A key contact (a decision maker) needs an answer before completion."""

    interview = models.ForeignKey(HandoffInterview, on_delete=models.CASCADE, related_name="contact_answers")
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    key = models.BooleanField(default=False, help_text="a decision maker: an answer is required")
    introduced = models.CharField(max_length=10, choices=IntroductionAnswer.choices, blank=True)
    waiver_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["interview_id", "-key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "contact"], name="interview_contact_once")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} in interview {self.interview_id}: {self.introduced or 'no answer'}"
