"""Chart specs for Plotly (plotly.min.js is served from the installed plotly package).

Builders return plain dicts {"data": [...], "layout": {...}}; the `chart` template tag
renders one, so pages only pass numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

PALETTE = ["#2563eb", "#16a34a", "#dc2626", "#f59e0b", "#7c3aed", "#0891b2", "#db2777", "#64748b"]


def _plain(values: Sequence[Any]) -> list[Any]:
    return [float(v) if isinstance(v, Decimal) else v for v in values]


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "title": {"text": title, "font": {"size": 14}},
        "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
        "height": 300,
        "legend": {"orientation": "h"},
        "colorway": PALETTE,
    }
    layout.update(extra)
    return layout


def line_chart(title: str, x: Sequence[Any], series: Mapping[str, Sequence[Any]], **layout: Any) -> dict:
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": name, "x": _plain(x), "y": _plain(ys)}
        for name, ys in series.items()
    ]
    return {"data": data, "layout": _layout(title, **layout)}


def bar_chart(
    title: str, x: Sequence[Any], series: Mapping[str, Sequence[Any]], stacked: bool = False, **layout: Any
) -> dict:
    data = [{"type": "bar", "name": name, "x": _plain(x), "y": _plain(ys)} for name, ys in series.items()]
    return {"data": data, "layout": _layout(title, barmode="stack" if stacked else "group", **layout)}


def pie_chart(title: str, labels: Sequence[str], values: Sequence[Any]) -> dict:
    data = [{"type": "pie", "labels": list(labels), "values": _plain(values), "hole": 0.45}]
    return {"data": data, "layout": _layout(title)}
