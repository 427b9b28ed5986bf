"""Chart specs for Plotly (plotly.min.js is served from the installed plotly package).

Builders return plain dicts {"data": [...], "layout": {...}}; the `chart` template tag
renders one, so pages only pass numbers.

Two rules hold for every chart:
- the legend sits below the plot area and the axes take the margin their labels need
  (automargin), so a legend never covers a bar, a line or a tick label;
- a category has one colour for every user on every chart: the fixed map below for the
  categories the app knows (loss causes and reasons, tiers, hours by kind, ...), and for
  any other name (a territory, a rep) a colour derived from the name itself, never from
  the order in which one user's data happens to list it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

PALETTE = ["#2563eb", "#16a34a", "#dc2626", "#f59e0b", "#7c3aed", "#0891b2", "#db2777", "#64748b"]

# Lower-case category -> colour. One home for these: every chart reads it.
CATEGORY_COLOURS: dict[str, str] = {
    # loss causes (METRICS.md)
    "unavoidable": "#64748b",
    "avoidable": "#f59e0b",
    "unexplained": "#dc2626",
    # lost reasons
    "acquired": "#7c3aed",
    "bankrupt": "#475569",
    "closed": "#94a3b8",
    "relocated": "#0891b2",
    "price": "#ea580c",
    "service": "#db2777",
    "competitor": "#b91c1c",
    "relationship": "#ca8a04",
    "other": "#a3a3a3",
    "not recorded": "#e11d48",
    # tiers
    "a": "#1d4ed8",
    "b": "#60a5fa",
    "c": "#cbd5e1",
    # hours by kind
    "prospecting": "#2563eb",
    "new business meeting": "#16a34a",
    "account nurturing": "#f59e0b",
    "admin": "#64748b",
    "training": "#7c3aed",
    # retention ratios and single series
    "logo retention": "#2563eb",
    "grr": "#16a34a",
    "nrr": "#7c3aed",
    # the goals' other figures (the goals chart draws them beside the three ratios above)
    "gross-profit growth": "#f59e0b",
    "new accounts": "#0891b2",
    "contract coverage": "#db2777",
    "all": "#0f172a",
    "revenue": "#2563eb",
    "gap": "#f59e0b",
    "load": "#2563eb",
    "capacity": "#cbd5e1",
    "actual": "#2563eb",
    "target": "#94a3b8",
}


def colour_for(name: Any) -> str:
    """The colour of a category: the fixed one if known, else one picked by the name's
    digest (stable across users, processes and page loads, unlike hash())."""
    key = str(name).strip().lower()
    if key in CATEGORY_COLOURS:
        return CATEGORY_COLOURS[key]
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def _plain(values: Sequence[Any]) -> list[Any]:
    return [float(v) if isinstance(v, Decimal) else v for v in values]


HEIGHT = 340
LEGEND_ROW = 20  # pixels per row of a legend laid out below the plot
PER_CHARACTER = 6  # pixels a character of a turned axis label takes


def room_needed(categories: Sequence[Any] = (), series: int = 1) -> int:
    """Pixels to add to HEIGHT so the plot keeps its size under long category labels (the
    axis turns them once they crowd) and a legend of several rows."""
    longest = max((len(str(c)) for c in categories), default=0)
    turned = len(categories) > 6 and longest > 8
    labels = min(260, longest * PER_CHARACTER) if turned else 0
    return labels + LEGEND_ROW * max(0, (series - 1) // 3)


def _layout(title: str, room: int = 0, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "title": {"text": title, "font": {"size": 14}},
        "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
        "height": HEIGHT + room,
        # At the bottom of the figure (container coordinates), below the axis labels: the
        # margins grow to hold both, so it never covers a bar, a line or a label.
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
        },
        "xaxis": {"automargin": True},
        "yaxis": {"automargin": True},
        "colorway": PALETTE,
    }
    for key, value in extra.items():
        if key in ("xaxis", "yaxis") and isinstance(value, dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def line_chart(title: str, x: Sequence[Any], series: Mapping[str, Sequence[Any]], **layout: Any) -> dict:
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": _plain(x),
            "y": _plain(ys),
            "line": {"color": colour_for(name)},
            "marker": {"color": colour_for(name)},
        }
        for name, ys in series.items()
    ]
    return {"data": data, "layout": _layout(title, room_needed(x, len(data)), **layout)}


def bar_chart(
    title: str, x: Sequence[Any], series: Mapping[str, Sequence[Any]], stacked: bool = False, **layout: Any
) -> dict:
    data = [
        {"type": "bar", "name": name, "x": _plain(x), "y": _plain(ys), "marker": {"color": colour_for(name)}}
        for name, ys in series.items()
    ]
    extra = {"showlegend": len(data) > 1, **layout}
    room = room_needed(x, len(data))
    return {"data": data, "layout": _layout(title, room, barmode="stack" if stacked else "group", **extra)}


def pie_chart(title: str, labels: Sequence[str], values: Sequence[Any]) -> dict:
    names = [str(label) for label in labels]
    data = [
        {
            "type": "pie",
            "labels": names,
            "values": _plain(values),
            "hole": 0.45,
            "sort": False,  # slices in the order given, the same for every user
            "marker": {"colors": [colour_for(n) for n in names]},
            "textposition": "inside",
            "automargin": True,
        }
    ]
    return {"data": data, "layout": _layout(title, room_needed(series=len(names)))}
