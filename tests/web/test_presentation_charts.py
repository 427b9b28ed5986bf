"""Charts a user can read: legends outside the plot area, axes that make room for their
labels, and one colour per category for every user (read from the rendered pages' specs)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

import pytest

from bookwise.core import charts
from tests import factories as f

CHART_DATA = re.compile(r'<script id="chart-\d+-data" type="application/json">(.*?)</script>')


def specs(html: str) -> list[dict]:
    return [json.loads(m) for m in CHART_DATA.findall(html)]


def cause_colours(spec: dict) -> dict[str, str]:
    pie = spec["data"][0]
    return dict(zip([label.lower() for label in pie["labels"]], pie["marker"]["colors"], strict=True))


def test_every_kind_of_chart_puts_its_legend_below_the_plot_with_room_for_labels():
    for spec in (
        charts.line_chart("t", ["Q1", "Q2"], {"North": [1, 2], "South": [2, 1]}),
        charts.bar_chart("t", ["a", "b"], {"Load": [1, 2], "Capacity": [3, 3]}, stacked=True),
        charts.pie_chart("t", ["unavoidable", "avoidable", "unexplained"], [1, 2, 3]),
    ):
        layout = spec["layout"]
        assert layout["legend"]["orientation"] == "h"
        # at the bottom edge of the figure: the margin grows to hold it under the axis labels
        assert layout["legend"]["yref"] == "container" and layout["legend"]["y"] == 0
        assert layout["legend"]["yanchor"] == "bottom"
        assert layout["xaxis"]["automargin"] and layout["yaxis"]["automargin"]


def test_long_category_labels_and_long_legends_make_the_chart_taller_not_the_plot_smaller():
    short = charts.bar_chart("t", ["a", "b"], {"Load": [1, 2]})
    names = [f"Representative {i:02d} with a long name" for i in range(30)]
    long = charts.bar_chart("t", names, {k: [1] * 30 for k in ("A", "B", "C", "D", "E", "F", "G")})
    assert short["layout"]["height"] == charts.HEIGHT
    assert long["layout"]["height"] >= charts.HEIGHT + 30 * charts.PER_CHARACTER + 2 * charts.LEGEND_ROW


def test_axis_options_of_a_page_keep_the_automargin():
    spec = charts.bar_chart("t", ["a"], {"GRR": [0.9]}, yaxis={"tickformat": ".0%"})
    assert spec["layout"]["yaxis"] == {"automargin": True, "tickformat": ".0%"}


def test_a_category_has_the_same_colour_on_every_chart_whatever_the_order():
    one = charts.pie_chart("Lost by reason", ["acquired", "price", "service"], [1, 2, 3])
    other = charts.pie_chart("Lost by reason", ["Service", "Acquired"], [5, 1])
    assert one["data"][0]["marker"]["colors"][0] == other["data"][0]["marker"]["colors"][1]
    assert charts.colour_for("acquired") == charts.CATEGORY_COLOURS["acquired"]
    bars = charts.bar_chart("t", ["x"], {"Unexplained": [1], "Avoidable": [2]})
    assert [s["marker"]["color"] for s in bars["data"]] == [
        charts.CATEGORY_COLOURS["unexplained"],
        charts.CATEGORY_COLOURS["avoidable"],
    ]


def test_an_unknown_category_gets_a_colour_from_its_name_in_every_process():
    """A territory's colour does not depend on the order of one user's data, nor on the
    process (Python's hash() is salted per process; the colour must not be)."""
    first = charts.line_chart("t", ["Q1"], {"North Coast": [1], "Highlands": [2]})
    second = charts.line_chart("t", ["Q1"], {"Highlands": [2], "North Coast": [1]})
    colour = {s["name"]: s["line"]["color"] for s in first["data"]}
    assert colour == {s["name"]: s["line"]["color"] for s in second["data"]}
    code = "from bookwise.core.charts import colour_for; print(colour_for('North Coast'))"
    other_process = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": "src"}
    )
    assert other_process.stdout.strip() == colour["North Coast"]


@pytest.mark.django_db
def test_two_users_see_the_loss_causes_in_the_same_colours(org, login):
    """The director and a sales manager see different losses; 'unexplained' is red for both."""
    for key, reason in (("R1", ""), ("R3", "acquired")):
        lost = f.account(
            f"L{key}",
            owner=org[key],
            name=f"Lost {key}",
            status="lost",
            lost_reason=reason,
            lost_date=date(2026, 1, 10),
        )
        f.order(lost, date(2025, 11, 15), "500.00")
    period = "start=2026-01-01&end=2026-03-31"
    seen = []
    for who in ("D1", "M1"):
        html = login(org[who]).get(f"/retention/lost/?{period}").content.decode()
        pies = [s for s in specs(html) if s["data"][0]["type"] == "pie"]
        assert pies, who
        seen.append(cause_colours(pies[0]))
    assert seen[0]["unexplained"] == seen[1]["unexplained"] == charts.CATEGORY_COLOURS["unexplained"]
    assert seen[0]["unavoidable"] == seen[1]["unavoidable"] == charts.CATEGORY_COLOURS["unavoidable"]
