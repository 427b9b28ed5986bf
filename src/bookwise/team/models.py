"""Sales-manager competency assessments and development plans (issue #7 part 4)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bookwise.accounts.models import Account
from bookwise.core.models import BaseModel
from bookwise.core.money import MoneyField
from bookwise.people.models import Rep


class Competency(models.TextChoices):
    BUSINESS_PLANNING = "business_planning", "Business planning"
    TALENT = "talent", "Talent acquisition, management and development"
    TRACKING = "tracking", "Sales tracking and execution"
    PERFORMANCE = "performance", "Performance management, reward and recognition"
    PRICING = "pricing", "Contracting, negotiating and pricing"


class AssessorRole(models.TextChoices):
    SELF = "self", "Self"
    DIRECTOR = "director", "Director"


class Purpose(models.TextChoices):
    REVIEW = "review", "Sales-manager review"
    PROMOTION = "promotion", "Promotion candidate"


class Assessment(BaseModel):
    """One person's ratings of one subject on the five competencies, on a date."""

    subject = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="assessments")
    assessor_role = models.CharField(max_length=10, choices=AssessorRole.choices)
    assessor = models.ForeignKey(Rep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.REVIEW)
    assessed_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["subject_id", "-assessed_on", "assessor_role"]
        indexes = [models.Index(fields=["subject", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.assessor_role} assessment of {self.subject_id} on {self.assessed_on}"


class Rating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.CharField(max_length=20, choices=Competency.choices)
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    evidence = models.TextField(blank=True)
    data_evidence = models.JSONField(default=list, blank=True, help_text="What Bookwise pre-filled")

    class Meta:
        ordering = ["assessment_id", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="team_rating_one_per_competency"
            ),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="team_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.competency} {self.rating}"


class ActionKind(models.TextChoices):
    MENTORING = "mentoring", "Mentoring"
    PEER_LEARNING = "peer_learning", "Peer learning"
    INDEPENDENT = "independent_learning", "Independent learning"


class DevelopmentAction(BaseModel):
    """One action of a development plan: mentoring (by whom), peer learning (with whom) or
    independent learning (what), with a due date and completion."""

    subject = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="development_actions")
    competency = models.CharField(max_length=20, choices=Competency.choices)
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    partner = models.ForeignKey(
        Rep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Mentor or peer"
    )
    description = models.CharField(max_length=500)
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["subject_id", "due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="independent_learning") | Q(partner__isnull=False),
                name="team_action_partner_for_mentoring_and_peers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.subject_id}: {self.description}"


def _rollup_rep() -> models.ForeignKey[Rep | None, Rep | None]:
    """The rep of a rollup row (empty: the line has none): no database constraint, as the
    rows are derived from the order lines (see LineMonth)."""
    return models.ForeignKey(
        Rep,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )


class LineMonth(models.Model):
    """Monthly rollup of the order lines per account, month and the line's own rep (empty:
    the line is credited to the primary owner on its date, resolved when read). Sparse: a
    row only for a month with lines; a 12-month window is the sum of an account and rep's
    rows over 12 months (taken when read) plus the lines of a few days at its edges.
    Maintained by `team.rollup.refresh` (on every revenue rollup refresh, and by
    `team.rollup.ensure_fresh` before the scorecards read it when order lines were added
    since)."""

    # Derived rows, written only by INSERT ... SELECT from the order lines (whose foreign keys
    # are checked): no database constraint to check again on millions of rows.
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    rep = _rollup_rep()
    month = models.PositiveIntegerField(help_text="year * 12 + month - 1")
    revenue = MoneyField()
    gross_profit = MoneyField(help_text="Empty gross profit counts as 0")
    lines = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # Per account (refreshes, owner changes month by month), covering the line counts.
            models.Index(fields=["account", "month", "rep", "lines"], name="team_linemonth_account_month"),
            # Covering: the 12-month sums over a range of months never touch the table.
            models.Index(
                fields=["month", "account", "rep", "revenue", "gross_profit", "lines"],
                name="team_linemonth_month_sums",
            ),
            # The accounts a rep was credited lines of (the rows with a rep only).
            models.Index(
                fields=["rep", "account"], condition=Q(rep__isnull=False), name="team_linemonth_rep"
            ),
        ]

    def __str__(self) -> str:
        year, month = divmod(self.month, 12)
        return f"{self.account_id} {year}-{month + 1:02d} rep {self.rep_id or '-'}: {self.lines} lines"


class FirstLine(models.Model):
    """Each account's first order line ever (earliest date, then order id) and that line's own
    rep: new accounts without a pass over the lines. Maintained with `LineMonth`."""

    # Derived rows, as LineMonth's: no database constraint (see retention.models.AccountMonth)
    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, primary_key=True, related_name="+", db_constraint=False
    )
    order_date = models.DateField(db_index=True)
    rep = _rollup_rep()

    def __str__(self) -> str:
        return f"{self.account_id} first ordered {self.order_date}"


class LineRollupState(models.Model):
    """One row: the highest order line id `LineMonth` and `FirstLine` have seen."""

    max_line_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"team rollup up to order line {self.max_line_id}"


class NonWorkingDay(BaseModel):
    """A day nobody works (a public holiday: no rep) or one rep does not (leave, sickness):
    the activity signals leave the week out (docs/team.md)."""

    date = models.DateField()
    rep = models.ForeignKey(
        Rep, null=True, blank=True, on_delete=models.CASCADE, related_name="non_working_days",
        help_text="empty = everyone (a public holiday)",
    )  # fmt: skip
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date", "rep_id"]
        constraints = [
            models.UniqueConstraint(fields=["date", "rep"], name="non_working_day_once_per_rep"),
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(rep__isnull=True), name="non_working_day_once_for_all"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} off ({self.rep_id or 'everyone'}): {self.reason}"
