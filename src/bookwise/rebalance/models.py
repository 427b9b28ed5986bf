"""Rebalance proposals (a proposed redistribution of a scope's accounts, line by line) and
the accounts pinned out of realignment."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bookwise.accounts.models import Account
from bookwise.core.models import BaseModel
from bookwise.people.models import Rep
from bookwise.transfers.models import Transfer


class ProposalState(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMMITTED = "committed", "Committed"
    DISCARDED = "discarded", "Discarded"


class RebalanceProposal(BaseModel):
    """One scenario of a rebalance: its settings, the solver's figures and its lines (moves)."""

    scope = models.CharField(max_length=200, help_text="all, region:NAME, territory:NAME or team:REP_ID")
    scope_label = models.CharField(max_length=250)
    scenario = models.CharField(max_length=120, help_text="e.g. 'Up to 50 moves'")
    batch = models.CharField(max_length=32, blank=True, help_text="scenarios proposed together")
    day = models.DateField(help_text="tiers and workloads as on this day")
    options = models.JSONField(default=dict)  # tolerance, max_moves, ... (problem.Settings)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    objective = models.FloatField()
    bound = models.FloatField(null=True)
    gap = models.FloatField(null=True)
    bound_kind = models.CharField(max_length=200, blank=True)
    method = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=80, blank=True)
    seconds = models.FloatField(default=0)
    greedy_objective = models.FloatField()
    nothing_objective = models.FloatField()
    target = models.FloatField(help_text="the scope's capacity-weighted mean load ratio")
    # [{"rep_id", "name", "load", "capacity", "fixed"}] before any move; "fixed" = load not moved
    reps = models.JSONField(default=list)
    left_out = models.JSONField(default=list, blank=True)  # [{"account_id", "name", "reason"}]
    state = models.CharField(max_length=10, choices=ProposalState.choices, default=ProposalState.DRAFT)
    effective_date = models.DateField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"rebalance proposal {self.pk} ({self.scope_label}, {self.scenario})"


class RebalanceLine(BaseModel):
    """One move: an account (with its subsidiaries, when they move together) to a rep."""

    proposal = models.ForeignKey(RebalanceProposal, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    from_rep = models.ForeignKey(Rep, on_delete=models.PROTECT, related_name="+")
    to_rep = models.ForeignKey(Rep, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(max_digits=8, decimal_places=2)
    cost = models.FloatField(help_text="disruption cost of the move")
    unit = models.CharField(max_length=64, blank=True, help_text="the parent account id it moves with")
    edited = models.BooleanField(default=False)
    transfer = models.ForeignKey(Transfer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["proposal_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "account"], name="rebalance_line_one_per_account")
        ]


class RealignmentPin(BaseModel):
    """An account kept with its owner by every rebalance (key relationship, contract, ...)."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="realignment_pin")
    note = models.CharField(max_length=300)
    pinned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return f"{self.account_id} pinned out of realignment"
