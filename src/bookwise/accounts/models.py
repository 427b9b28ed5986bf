from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from bookwise.core.models import BaseModel
from bookwise.core.money import MoneyField
from bookwise.people.models import Rep, Territory


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    LOST = "lost", "Lost"


class LostReason(models.TextChoices):
    ACQUIRED = "acquired", "Acquired"
    BANKRUPT = "bankrupt", "Bankrupt"
    CLOSED = "closed", "Closed"
    RELOCATED = "relocated", "Relocated"
    PRICE = "price", "Price"
    SERVICE = "service", "Service"
    COMPETITOR = "competitor", "Competitor"
    RELATIONSHIP = "relationship", "Relationship"
    OTHER = "other", "Other"


UNAVOIDABLE_REASONS = frozenset({"acquired", "bankrupt", "closed", "relocated"})


def lost_cause(reason: str | None) -> str:
    """METRICS.md: unavoidable, avoidable, or unexplained (no reason recorded)."""
    if not reason:
        return "unexplained"
    return "unavoidable" if reason in UNAVOIDABLE_REASONS else "avoidable"


class Account(BaseModel):
    external_id = models.CharField("account id", max_length=64, unique=True)
    name = models.CharField(max_length=255)
    industry = models.CharField(max_length=120, blank=True)
    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subsidiaries"
    )
    created_date = models.DateField(null=True, blank=True, help_text="Date the customer was won")
    potential_revenue = MoneyField(null=True, blank=True, help_text="Annual wallet")
    status = models.CharField(max_length=10, choices=AccountStatus.choices, default="active")
    lost_date = models.DateField(null=True, blank=True)
    lost_reason = models.CharField(max_length=20, choices=LostReason.choices, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["territory", "name"]),
            models.Index(fields=["status"]),
            models.Index(fields=["industry"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active") | Q(lost_date__isnull=False),
                name="account_lost_has_date",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="account_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"

    @property
    def lost_cause(self) -> str | None:
        return lost_cause(self.lost_reason) if self.status == AccountStatus.LOST else None


class OwnershipRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"


class OwnershipReason(models.TextChoices):
    IMPORT = "import", "Import"
    TRANSFER = "transfer", "Transfer"
    DEPARTURE = "departure", "Departure"
    PROMOTION = "promotion", "Promotion"
    REBALANCE = "rebalance", "Rebalance"
    MANAGER_OFFLOAD = "manager_offload", "Manager offload"
    HUNTER_TO_AM = "hunter_to_am", "Hunter to account manager"
    OTHER = "other", "Other"


class Ownership(BaseModel):
    """One assignment of an account to a rep over [start_date, end_date] (end empty = open).

    History is ended, never deleted. Per account and role the intervals never overlap
    (service layer everywhere, plus an exclusion constraint on PostgreSQL), and at most
    one assignment of each role is open (partial unique index on both databases)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="ownerships")
    rep = models.ForeignKey(Rep, on_delete=models.PROTECT, related_name="ownerships")
    role = models.CharField(max_length=10, choices=OwnershipRole.choices, default="primary")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=20, choices=OwnershipReason.choices, default="import")

    class Meta:
        ordering = ["account_id", "role", "start_date"]
        indexes = [
            models.Index(fields=["rep", "end_date"]),
            models.Index(fields=["account", "role", "start_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "role"],
                condition=Q(end_date__isnull=True),
                name="ownership_one_open_per_role",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="ownership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        end = self.end_date.isoformat() if self.end_date else "open"
        return f"{self.account_id} {self.role} {self.rep_id} {self.start_date}..{end}"


class OrderKind(models.TextChoices):
    NEW = "new", "New"
    REPEAT = "repeat", "Repeat"
    CONTRACT_RELEASE = "contract_release", "Contract release"


class OrderLine(models.Model):
    """One order line; negative amounts are credit notes. Kept lean: millions of rows."""

    external_id = models.CharField("order id", max_length=64, unique=True)
    # Both foreign keys are served by the composite indexes below (and the covering index
    # of migration 0003): no single-column index to maintain on million-line imports.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="order_lines", db_index=False)
    order_date = models.DateField()
    amount = MoneyField()
    gross_profit = MoneyField(null=True, blank=True)
    product_line = models.CharField(max_length=120, blank=True)
    rep = models.ForeignKey(
        Rep,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credited_lines",
        db_index=False,
        help_text="Rep credited; empty = the primary owner on the order date",
    )
    kind = models.CharField(max_length=20, choices=OrderKind.choices, default="repeat")

    class Meta:
        ordering = ["order_date", "external_id"]
        # (account, order_date) is served by the covering index of migration 0003
        # (account_id, order_date, amount).
        indexes = [
            models.Index(fields=["order_date", "account"]),
            models.Index(fields=["rep", "order_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} {self.order_date} {self.amount}"


class OpportunityStage(models.TextChoices):
    PROSPECTING = "prospecting", "Prospecting"
    ENGAGING = "engaging", "Engaging"
    PROPOSAL = "proposal", "Proposal"
    WON = "won", "Won"
    LOST = "lost", "Lost"


OPEN_STAGES = ("prospecting", "engaging", "proposal")


class Opportunity(BaseModel):
    external_id = models.CharField("opportunity id", max_length=64, unique=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="opportunities")
    rep = models.ForeignKey(
        Rep, null=True, blank=True, on_delete=models.PROTECT, related_name="opportunities"
    )
    name = models.CharField(max_length=255, blank=True)
    stage = models.CharField(max_length=20, choices=OpportunityStage.choices)
    amount = MoneyField(null=True, blank=True)
    expected_close_date = models.DateField(null=True, blank=True)
    closed_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["expected_close_date", "external_id"]
        verbose_name_plural = "opportunities"
        indexes = [models.Index(fields=["account", "stage"])]

    def __str__(self) -> str:
        return self.name or self.external_id


class ActivityKind(models.TextChoices):
    PROSPECTING = "prospecting", "Prospecting"
    NEW_BUSINESS_MEETING = "new_business_meeting", "New business meeting"
    ACCOUNT_NURTURING = "account_nurturing", "Account nurturing"
    ADMIN = "admin", "Admin"
    TRAINING = "training", "Training"


HUNTING_KINDS = ("prospecting", "new_business_meeting")
NURTURING_KINDS = ("account_nurturing",)


class Activity(BaseModel):
    """A time entry (time study): hours a rep spent on one kind of work on a day."""

    rep = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["rep_id", "date", "id"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["rep", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="activity_hours_range")
        ]

    def __str__(self) -> str:
        return f"{self.rep_id} {self.date} {self.kind} {self.hours}h"


class DeferredIndex(models.Model):
    """A secondary index a bulk load of a table dropped and left to be built again after it
    committed (accounts.bulk_indexes): its table and the catalogue's own definition."""

    table = models.CharField(max_length=63)
    name = models.CharField(max_length=63)
    definition = models.TextField()
    deferred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} on {self.table}, deferred {self.deferred_at:%Y-%m-%d %H:%M}"
