"""Supply agreements: what a customer committed to buy over a period (docs/agreements.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from bookwise.accounts.models import Account
from bookwise.core.models import BaseModel
from bookwise.core.money import MoneyField
from bookwise.people.models import Rep


class AgreementKind(models.TextChoices):
    BLANKET = "blanket", "Blanket order"
    KANBAN = "kanban", "Kanban agreement"
    FRAMEWORK = "framework", "Framework agreement"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    RENEWED = "renewed", "Renewed"
    CANCELLED = "cancelled", "Cancelled"


#: the statuses whose agreements collect releases (a draft is not signed; a cancelled one is void)
COUNTING = ("active", "expired", "renewed")

#: status -> the statuses it may move to (docs/agreements.md, "Status")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("active", "cancelled"),
    "active": ("expired", "renewed", "cancelled"),
    "expired": ("renewed",),
    "renewed": (),
    "cancelled": (),
}


class Agreement(BaseModel):
    external_id = models.CharField("agreement id", max_length=64, unique=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="agreements")
    include_subsidiaries = models.BooleanField(
        default=False, help_text="Orders of the account's subsidiaries count as releases too"
    )
    kind = models.CharField(max_length=10, choices=AgreementKind.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    committed_amount = MoneyField(help_text="The committed value over the whole period")
    committed_quantity = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Informational (order lines carry no quantity)",
    )
    product_line = models.CharField(
        max_length=120, blank=True, help_text="Empty: the commitment covers every product line"
    )
    price_terms = models.TextField(blank=True)
    notice_days = models.PositiveIntegerField(default=90, help_text="Renewal notice period, in days")
    owner = models.ForeignKey(Rep, null=True, blank=True, on_delete=models.PROTECT, related_name="agreements")
    status = models.CharField(max_length=10, choices=AgreementStatus.choices, default="draft")
    document_ref = models.CharField("document reference", max_length=200, blank=True)
    renews = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewals",
        help_text="The agreement this one renews",
    )

    class Meta:
        ordering = ["end_date", "external_id"]
        indexes = [
            models.Index(fields=["account", "start_date"]),
            models.Index(fields=["status", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="agreement_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(committed_amount__gte=0), name="agreement_commitment_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.get_kind_display()})"


class AgreementReminder(models.Model):
    """One renewal reminder per agreement and notice date (makes the reminder job idempotent)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    notice_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "notice_date"], name="agreement_reminder_once")
        ]

    def __str__(self) -> str:
        return f"reminder {self.agreement_id} {self.notice_date}"
