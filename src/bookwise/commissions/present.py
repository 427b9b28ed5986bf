"""Statements as the JSON the CLI, the API and the stored runs share.

Money is a string with two decimals (a co-coverage share that is not a whole cent keeps
its exact digits, e.g. "0.006"); attainment is a JSON number with 4 decimals or null;
factor is a JSON number (the exact factor rounded to 6 decimals; the commission is
computed from the exact factor)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .compute.statements import LINE_COLUMNS, AdjustmentLine, RepStatement, StatementLine, money, number

__all__ = ["LINE_COLUMNS", "line_dicts", "money", "number", "statement_json"]
ZERO = Decimal(0)


def line_dicts(rows: list[StatementLine]) -> list[dict[str, Any]]:
    """Statement lines as the JSON objects the output shows."""
    return [row._asdict() for row in rows]


def statement_json(
    s: RepStatement, period: str, adjustments: list[AdjustmentLine] | None = None, compact: bool = False
) -> dict[str, Any]:
    """The statement; `compact` keeps lines as rows (what a stored statement holds)."""
    adj = adjustments or []
    adj_total = sum((Decimal(a["commission"]) for a in adj), ZERO)
    data: dict[str, Any] = {
        "rep_id": s.rep_ref,
        "period": period,
        "plan": s.paid.plan.name,
        "plan_version": s.paid.plan.version,
        "quota": money(s.quota),
        "credit": money(s.credit),
        "attainment": number(s.attainment, 4),
        "commission": money(s.commission),
        "override": money(s.override),
        "adjustments": money(adj_total),
        "adjustment_lines": adj,
        "total": money(s.commission + s.override + adj_total),
        "lines": s.lines if compact else line_dicts(s.lines),
    }
    if s.team is not None:
        data["team_credit"] = {"current": money(s.team[0]), "year_before": money(s.team[1])}
    return data
