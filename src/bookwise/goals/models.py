"""A goal: a target for one figure (goals.figures) over one period, for one node of the
organisation (the company, a region, a territory or a rep). The target is a whole number in
the figure's unit (goals.rules: ratios in ten-thousandths, money in cents, counts)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from bookwise.core.models import BaseModel
from bookwise.people.models import Region, Rep, Territory


class Level(models.TextChoices):
    COMPANY = "company", "Company"
    REGION = "region", "Region"
    TERRITORY = "territory", "Territory"
    REP = "rep", "Rep"


class SplitMethod(models.TextChoices):
    EVEN = "even", "Evenly"
    LAST_YEAR = "last_year", "By last year's share"
    HAND = "hand", "By hand"


class Goal(BaseModel):
    figure = models.CharField(max_length=32)
    period = models.CharField(max_length=16, help_text="2026 or 2026-Q1")
    level = models.CharField(max_length=16, choices=Level.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rep = models.ForeignKey(Rep, null=True, blank=True, on_delete=models.CASCADE, related_name="goals")
    target_units = models.BigIntegerField(help_text="In the figure's unit: ratio 1/10000, money cents")
    split_method = models.CharField(
        max_length=16, blank=True, choices=SplitMethod.choices, help_text="How its children were set"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["period", "figure", "level", "id"]
        indexes = [models.Index(fields=["period", "figure"])]
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "period"], condition=Q(level="company"), name="goal_one_company"
            ),
            models.UniqueConstraint(
                fields=["figure", "period", "region"], condition=Q(level="region"), name="goal_one_region"
            ),
            models.UniqueConstraint(
                fields=["figure", "period", "territory"],
                condition=Q(level="territory"),
                name="goal_one_territory",
            ),
            models.UniqueConstraint(
                fields=["figure", "period", "rep"], condition=Q(level="rep"), name="goal_one_rep"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figure} goal {self.period} for {self.node_name}"

    @property
    def node_name(self) -> str:
        node = {"region": self.region, "territory": self.territory, "rep": self.rep}.get(self.level)
        return "the company" if node is None else f"{node} ({self.level})"

    @property
    def node_key(self) -> str:
        """The node inside Bookwise ("company", "region:3", "territory:5", "rep:17")."""
        pk = {"region": self.region_id, "territory": self.territory_id, "rep": self.rep_id}.get(self.level)
        return self.level if pk is None else f"{self.level}:{pk}"

    def target(self, scale: int) -> Decimal:
        return Decimal(self.target_units).scaleb(-scale)
