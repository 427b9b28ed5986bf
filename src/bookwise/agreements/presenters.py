"""Charts and labels of the agreement pages."""

from __future__ import annotations

from typing import Any

from bookwise.core.charts import line_chart

from . import rules
from .selectors import Figures


def burn_down_chart(figures: Figures) -> dict[str, Any]:
    """Remaining commitment after each release day against the straight line to zero."""
    a = figures.agreement
    burn = rules.burn_down(a.committed_amount, a.start_date, a.end_date, figures.lines, figures.day)
    return line_chart(
        f"Burn-down of {a.external_id}: remaining commitment",
        [d.isoformat() for d in burn.days],
        {"Remaining": burn.remaining, "Straight line": burn.straight},
        yaxis={"title": {"text": "Remaining"}, "rangemode": "tozero"},
    )
