from __future__ import annotations

from django.conf import settings
from django.db import models

from bookwise.accounts.models import Account
from bookwise.core.models import BaseModel
from bookwise.core.money import MoneyField


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


class AccountMonth(models.Model):
    """Monthly rollup of order lines per account (revenue, and the positive-order days),
    maintained by `services.revenue_rollup_refresh` (and `refresh.ensure_fresh` before every
    read when order lines were added since); reports read it for whole months."""

    # (account, month) unique serves the look-ups: no index of its own to keep up. Derived rows,
    # written only from the order lines (whose foreign keys are checked): no database
    # constraint, whose drop for a whole rebuild would lock the accounts exclusively
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField(help_text="First day of the month")
    revenue = MoneyField()
    order_days = models.PositiveIntegerField(help_text="Distinct days with a positive order line")
    first_order = models.DateField(null=True, blank=True, help_text="First day with a positive line")
    last_order = models.DateField(null=True, blank=True, help_text="Last day with a positive line")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "month"], name="accountmonth_unique")]
        # Covering index: range reads by month never touch the table.
        indexes = [
            models.Index(
                fields=["month", "account", "revenue", "order_days", "first_order", "last_order"],
                name="accountmonth_month_covering",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m} {self.revenue}"


class AccountQuarter(models.Model):
    """Revenue per account and calendar quarter next to the quarter before's, derived from
    AccountMonth by the same refresh: a row for every quarter with an order line and for the
    quarter after one, so a quarter's retention figures against the quarter before (the
    dashboard's trend, its lost and new accounts) are one grouped read of whole quarters."""

    # (account, quarter) unique serves the look-ups: no index of its own to keep up. Derived rows,
    # written only from the order lines (whose foreign keys are checked): no database
    # constraint, whose drop for a whole rebuild would lock the accounts exclusively
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    quarter = models.IntegerField(help_text="year * 4 + quarter - 1 (2026-Q1 is 8104)")
    revenue = MoneyField(help_text="Sum of the quarter's order lines")
    prev_revenue = MoneyField(help_text="Sum of the previous quarter's order lines")
    opens = models.BooleanField(default=False, help_text="The quarter of the account's first order line")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "quarter"], name="accountquarter_unique")]
        indexes = [
            models.Index(
                fields=["quarter", "account", "revenue", "prev_revenue", "opens"],
                name="accountquarter_covering",
            )
        ]

    def __str__(self) -> str:
        year, q = divmod(self.quarter, 4)
        return f"{self.account_id} {year}-Q{q + 1} {self.revenue} (before {self.prev_revenue})"


class RollupState(models.Model):
    """One row: the highest order line id the rollup has seen (a cheap freshness check)."""

    max_line_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"rollup up to order line {self.max_line_id}"
