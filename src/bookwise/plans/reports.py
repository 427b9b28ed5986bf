"""Rows of the plan reports for the CLI and the morning report (plain JSON-ready dicts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .coverage import coverage_rows
from .selectors import overdue_reviews

COVERAGE_FIELDS = [
    "account_id",
    "name",
    "tier",
    "t12m_revenue",
    "marked",
    "needs_plan",
    "has_plan",
    "owner_id",
    "territory",
]
OVERDUE_FIELDS = ["plan_id", "account_id", "year", "owner_id", "due_date", "days_overdue"]


def coverage_report(*, day: date, user: Any = None) -> list[dict[str, Any]]:
    return [
        {
            "account_id": r.account_id, "name": r.name, "tier": r.tier,
            "t12m_revenue": None if r.t12m_revenue is None else f"{r.t12m_revenue:.2f}",
            "marked": r.marked, "needs_plan": r.needs_plan, "has_plan": r.has_plan,
            "owner_id": r.owner_id, "territory": r.territory,
        }
        for r in coverage_rows(user=user, day=day)
    ]  # fmt: skip


def overdue_report(*, day: date, user: Any = None) -> list[dict[str, Any]]:
    return [
        {
            "plan_id": o.plan_id, "account_id": o.account_id, "year": o.year,
            "owner_id": o.owner_id, "due_date": o.due_date.isoformat(), "days_overdue": o.days_overdue,
        }
        for o in overdue_reviews(day=day, user=user)
    ]  # fmt: skip
