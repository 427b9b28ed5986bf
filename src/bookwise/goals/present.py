"""A goal's standing as plain data: one row shape for the API and the command line."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import rules
from .selectors import Standing

GOAL_FIELDS = ["figure", "period", "node", "node_name", "level", "target", "target_to_date", "actual",
               "attainment", "status", "as_of", "split_method", "split_adds_up"]  # fmt: skip


def amount(value: Decimal | None, kind: str) -> str | None:
    """A value in its unit's precision: a ratio as a fraction (1.0500), money (12.50), a count."""
    if value is None:
        return None
    return f"{value:.{rules.SCALE[kind]}f}" if kind != rules.RATIO else f"{value:.4f}"


def shown(value: Decimal | None, kind: str) -> str:
    """As people read it: 105.0 %, 12,500.00, 12; a dash when undefined."""
    if value is None:
        return "—"
    if kind == rules.RATIO:
        return f"{value * 100:.1f} %"
    return f"{value:,.2f}" if kind == rules.MONEY else f"{value:,.0f}"


def goal_row(s: Standing) -> dict[str, Any]:
    kind = s.figure.kind
    return {
        "figure": s.figure.key,
        "period": s.goal.period,
        "node": s.ref,
        "node_name": s.name,
        "level": s.level,
        "target": amount(s.target, kind),
        "target_to_date": amount(s.target_to_date, kind),
        "actual": amount(s.value, kind),
        "attainment": None if s.attainment is None else float(round(s.attainment, 4)),
        "status": s.status,
        "as_of": s.as_of.isoformat() if s.as_of else None,
        "split_method": s.goal.split_method or None,
        "split_adds_up": None if s.consistency is None else s.consistency.consistent,
    }
