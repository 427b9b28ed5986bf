"""The attainment chart draws every goal figure beside the 100 % line: each line has its own
colour (three figures once shared NRR's purple, from the name-derived palette)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bookwise.goals.charts import attainment_chart
from bookwise.goals.figures import FIGURES


def test_every_goal_figure_has_its_own_colour_on_the_attainment_chart():
    days = [date(2026, 3, 31), date(2026, 6, 30)]
    labels = [figure.label for figure in FIGURES.values()]
    assert "Contract coverage" in labels  # the agreements app's figure is registered too
    spec = attainment_chart(days, {label: [Decimal("0.9"), Decimal("1.1")] for label in labels})
    colours = {line["name"]: line["line"]["color"] for line in spec["data"]}
    assert set(colours) == {*labels, "target"}
    assert len(set(colours.values())) == len(colours), colours
