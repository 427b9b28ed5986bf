from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from bookwise.core.models import BaseModel


class Region(BaseModel):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Territory(BaseModel):
    name = models.CharField(max_length=120, unique=True)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="territories"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "territories"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    HUNTER = "hunter", "Hunter"
    ACCOUNT_MANAGER = "account_manager", "Account manager"
    SALES_MANAGER = "sales_manager", "Sales manager"
    DIRECTOR = "director", "Director"


MANAGER_ROLES = (Role.SALES_MANAGER, Role.DIRECTOR)
rating_validators = [MinValueValidator(1), MaxValueValidator(5)]


class Rep(BaseModel):
    """A person in the sales organisation (a rep, a sales manager or a director)."""

    external_id = models.CharField("rep id", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(null=True, blank=True, unique=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.PROTECT, related_name="reps"
    )
    hire_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="Leaves or left; empty = active")
    capacity = models.PositiveIntegerField(default=100, help_text="Workload points")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rep",
    )
    # Rated by the rep's manager, used by the transfer recommendation.
    communication = models.PositiveSmallIntegerField(null=True, blank=True, validators=rating_validators)
    flexibility = models.PositiveSmallIntegerField(null=True, blank=True, validators=rating_validators)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["manager"]), models.Index(fields=["role"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(hire_date__isnull=True)
                | models.Q(end_date__gte=models.F("hire_date")),
                name="rep_end_after_hire",
            ),
            models.CheckConstraint(condition=~models.Q(manager=models.F("id")), name="rep_not_own_manager"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"

    def is_active_on(self, day: date) -> bool:
        started = self.hire_date is None or self.hire_date <= day
        return started and (self.end_date is None or self.end_date >= day)

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES
