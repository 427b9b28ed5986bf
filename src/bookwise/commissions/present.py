"""Statements as the JSON the CLI, the API and the stored runs share.

Money is a string with two decimals (a co-coverage share that is not a whole cent keeps
its exact digits, e.g. "0.006"); attainment is a JSON number with 4 decimals or null;
factor is a JSON number (the exact factor rounded to 6 decimals; the commission is
computed from the exact factor)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .calc import RepStatement

CENT = Decimal("0.01")
ZERO = Decimal(0)


def money(value: Decimal | None) -> str | None:
    if value is None:
        return None
    cents = value.quantize(CENT)
    if cents == value:
        return f"{cents:f}"
    return f"{value.normalize():f}"


def number(value: Decimal | None, places: int) -> float | None:
    if value is None:
        return None
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


LINE_COLUMNS = ["order_id", "account_id", "order_date", "credit", "factor", "commission", "explanation"]


def line_dicts(rows: list) -> list[dict[str, Any]]:
    """Statement lines are stored compactly as rows in LINE_COLUMNS order."""
    return [dict(zip(LINE_COLUMNS, row, strict=True)) for row in rows]


def statement_json(
    s: RepStatement, period: str, adjustments: list[dict[str, Any]] | None = None, compact: bool = False
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
