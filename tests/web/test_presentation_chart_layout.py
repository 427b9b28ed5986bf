"""Charts drawn by Plotly in Chromium: the legend covers no axis label, title or slice
label and no part of the plot area, even under 40 long rep names and a 10-line legend.
Runs the charts' own specs through the plotly.min.js the pages serve (no server needed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from bookwise.core import charts
from tests.chromium import launched, needs_chromium

pytestmark = needs_chromium

NAMES = [f"Representative {i:02d} Long-Surname" for i in range(40)]
KINDS = ["Prospecting", "New business meeting", "Account nurturing", "Admin", "Training"]
TERRITORIES = {f"Territory {t}": [1.0] * 8 for t in "ABCDEFGHI"} | {"All": [1.0] * 8}
CAUSES = ["unavoidable", "avoidable", "unexplained"]


def specs() -> dict[str, tuple[dict, int]]:
    """name -> (chart spec, width of its card in pixels)."""
    by_kind = {k: list(range(40)) for k in KINDS}
    hours = charts.bar_chart("Hours by kind per rep", NAMES, by_kind, stacked=True)
    load = charts.bar_chart("Workload", ["Ann", "Ben", "Cy"], {"Load": [1, 2, 3], "Capacity": [3, 3, 3]})
    quarters = [f"Q{i}" for i in range(8)]
    trend = charts.line_chart("NRR by territory", quarters, TERRITORIES, yaxis={"tickformat": ".0%"})
    causes = charts.pie_chart("Lost revenue by cause", CAUSES, [1, 2, 3])
    return {"hours": (hours, 420), "load": (load, 340), "trend": (trend, 380), "causes": (causes, 340)}


SPECS = specs()
MEASURE = """(id) => {
  const root = document.getElementById(id);
  const box = el => { const b = el.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const plot = root.querySelector('.nsewdrag') || root.querySelector('.pielayer');
  return {
    legend: box(root.querySelector('.legend')),
    labels: [...root.querySelectorAll('.xtick text, .ytick text, .gtitle, .slicetext')].map(box),
    plot: box(plot),
    figure: box(root.querySelector('svg')),
  };
}"""


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    folder = tmp_path_factory.mktemp("charts")
    shutil.copy(finders.find("vendor/plotly/plotly.min.js"), folder / "plotly.min.js")
    divs = "".join(f'<div id="{k}" style="width:{w}px"></div>' for k, (_, w) in SPECS.items())
    draw = "".join(
        f"Plotly.newPlot('{k}', {json.dumps(spec['data'])}, {json.dumps(spec['layout'])});"
        for k, (spec, _) in SPECS.items()
    )
    page_file = Path(folder / "charts.html")
    script = "<script src='plotly.min.js'></script>"
    page_file.write_text(f"<html><body>{script}{divs}<script>{draw}</script></body></html>")
    with launched() as browser:
        page = browser.new_page()
        page.goto(page_file.as_uri())
        page.wait_for_function(f"document.querySelectorAll('.legend').length === {len(SPECS)}")
        yield {k: page.evaluate(MEASURE, k) for k in SPECS}


@pytest.mark.parametrize("name", list(SPECS))
def test_the_legend_covers_no_label_and_no_data(drawn, name):
    m = drawn[name]
    covered = [label for label in m["labels"] if overlap(m["legend"], label)]
    assert covered == [], f"{name}: the legend covers {len(covered)} label(s)"
    assert not overlap(m["legend"], m["plot"]), f"{name}: the legend covers the plot"
    assert m["legend"][3] <= m["figure"][3] + 1, f"{name}: the legend is cut off"


def test_long_names_leave_the_plot_its_height(drawn):
    plot = drawn["hours"]["plot"]
    assert plot[3] - plot[1] > 150  # not squeezed by 40 turned names
