"""A checksum of the book as stored, in external ids (database pks play no part), to prove
that two builds on the same day produce identical data. It covers the features' data too
(transfers, account plans, team, commissions) in their business fields; timestamps the
services stamp with the clock (created_at, submitted_at, ...) and the audit trail are left out."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from bookwise.accounts.models import Account, Activity, Opportunity, OrderLine, Ownership
from bookwise.commissions.models import Dispute, Statement
from bookwise.people.models import Rep, Territory
from bookwise.plans.models import AccountPlan, PlanObjective, PlanReview
from bookwise.team.models import DevelopmentAction, Rating
from bookwise.transfers.models import HandoffInterview, PlanLine, Transfer

QUERIES = {
    "territories": lambda: Territory.objects.order_by("name").values_list("name", "region__name"),
    "reps": lambda: Rep.objects.order_by("external_id").values_list(
        "external_id",
        "name",
        "email",
        "role",
        "manager__external_id",
        "territory__name",
        "hire_date",
        "end_date",
        "capacity",
        "communication",
        "flexibility",
        "user__username",
    ),
    "accounts": lambda: Account.objects.order_by("external_id").values_list(
        "external_id",
        "name",
        "industry",
        "territory__name",
        "parent__external_id",
        "created_date",
        "potential_revenue",
        "status",
        "lost_date",
        "lost_reason",
    ),
    "ownership": lambda: Ownership.objects.order_by("account__external_id", "role", "start_date").values_list(
        "account__external_id", "rep__external_id", "role", "start_date", "end_date", "reason"
    ),
    "orders": lambda: OrderLine.objects.order_by("external_id").values_list(
        "external_id",
        "account__external_id",
        "order_date",
        "amount",
        "gross_profit",
        "product_line",
        "rep__external_id",
        "kind",
    ),
    "opportunities": lambda: Opportunity.objects.order_by("external_id").values_list(
        "external_id",
        "account__external_id",
        "rep__external_id",
        "name",
        "stage",
        "amount",
        "expected_close_date",
        "closed_date",
    ),
    "activities": lambda: Activity.objects.order_by("rep__external_id", "date", "kind", "hours").values_list(
        "rep__external_id", "date", "hours", "kind", "account__external_id"
    ),
}


FEATURE_QUERIES = {
    "transfers": lambda: Transfer.objects.order_by("account__external_id", "role").values_list(
        "account__external_id", "role", "from_rep__external_id", "to_rep__external_id", "effective_date",
        "reason", "state", "note", "interview_waived", "introduction_date", "co_coverage_days",
    ),
    "interviews": lambda: HandoffInterview.objects.order_by("account__external_id").values_list(
        "account__external_id", "interview_date", "attendees", "recent_sales", "key_contacts",
    ),
    "reassignment": lambda: PlanLine.objects.order_by("plan__from_rep__external_id", "account__external_id")
    .values_list("plan__from_rep__external_id", "account__external_id", "to_rep__external_id"),
    "account_plans": lambda: AccountPlan.objects.order_by("account__external_id", "year").values_list(
        "account__external_id", "year", "status", "cadence", "version", "first_approved_on",
        "revenue_target", "gp_target",
    ),
    "objectives": lambda: PlanObjective.objects.order_by("plan__account__external_id", "description")
    .values_list(
        "plan__account__external_id", "description", "kind", "target", "status", "owner__external_id"
    ),
    "reviews": lambda: PlanReview.objects.order_by("plan__account__external_id", "number").values_list(
        "plan__account__external_id", "number", "due_date", "review_date", "revenue_to_date",
    ),
    "ratings": lambda: Rating.objects.order_by(
        "assessment__subject__external_id", "assessment__assessor_role", "assessment__purpose", "competency"
    ).values_list(
        "assessment__subject__external_id", "assessment__assessor_role", "assessment__purpose",
        "assessment__assessed_on", "competency", "rating",
    ),
    "development": lambda: DevelopmentAction.objects.order_by("subject__external_id", "description")
    .values_list("subject__external_id", "competency", "kind", "partner__external_id", "due_date"),
    "statements": lambda: Statement.objects.order_by("run__period", "rep__external_id").values_list(
        "run__period", "run__status", "rep__external_id", "commission", "override", "adjustments",
    ),
    "disputes": lambda: Dispute.objects.order_by("statement__rep__external_id", "order_id").values_list(
        "statement__run__period", "statement__rep__external_id", "order_id", "status",
    ),
}  # fmt: skip
QUERIES.update(FEATURE_QUERIES)


def _feed(digest: Any, name: str, rows: Iterable[tuple]) -> None:
    digest.update(name.encode())
    for row in rows:
        digest.update(("\x1f".join("" if v is None else str(v) for v in row) + "\n").encode())


def book_checksum() -> str:
    """SHA-256 over every row of the book, in a fixed order."""
    digest = hashlib.sha256()
    for name, query in QUERIES.items():
        _feed(digest, name, query().iterator(chunk_size=5000))
    return digest.hexdigest()
