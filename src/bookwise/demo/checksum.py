"""A checksum of the book as stored, in external ids (database pks play no part), to prove
that two builds on the same day produce identical data."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from bookwise.accounts.models import Account, Activity, Opportunity, OrderLine, Ownership
from bookwise.people.models import Rep, Territory

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
