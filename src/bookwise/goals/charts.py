"""The goal charts (core.charts specs): a figure to date against its target to date, and
the attainment of each of a node's goals over the period against the 100 % line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bookwise.core.charts import line_chart

from . import rules
from .figures import Figure


def _in_unit(value: Decimal | None, kind: str) -> Decimal | None:
    if value is None:
        return None
    return (value * 100).quantize(Decimal("0.1")) if kind == rules.RATIO else value


def trend_chart(figure: Figure, points: list[tuple[date, Decimal | None, Decimal]]) -> dict:
    unit = " (%)" if figure.kind == rules.RATIO else ""
    days = [p[0].isoformat() for p in points]
    series = {"actual": [_in_unit(v, figure.kind) for _, v, _ in points],
              "target": [_in_unit(t, figure.kind) for _, _, t in points]}  # fmt: skip
    return line_chart(f"{figure.label} to date against the goal{unit}", days, series)


def attainment_chart(days: list[date], series: dict[str, list[Decimal | None]]) -> dict:
    """series: figure label -> attainment (figure to date / target to date) per day."""
    shown = {label: [None if a is None else (a * 100).quantize(Decimal("0.1")) for a in values]
             for label, values in series.items()}  # fmt: skip
    shown["target"] = [Decimal(100)] * len(days)
    return line_chart(
        "Attainment of the goals (% of the target to date)", [d.isoformat() for d in days], shown
    )
