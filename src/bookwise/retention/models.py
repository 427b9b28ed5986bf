from __future__ import annotations

from django.conf import settings
from django.db import models

from bookwise.accounts.models import Account
from bookwise.core.models import BaseModel


class Tier(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class TierPin(BaseModel):
    """An administrator's manual tier for one account: it wins over the computed tier."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="tier_pin")
    tier = models.CharField(max_length=1, choices=Tier.choices)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["account_id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(tier__in=["A", "B", "C"]), name="tierpin_tier_abc")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} pinned {self.tier}"
