"""The goals panel of the home page: the goals of the user's own part of the organisation
this year (the company, the territories and regions a manager leads, a rep's own), where
each stands, and the attainment of the first node's goals over the year."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from bookwise.accounts.selectors import today
from bookwise.people.selectors import scope_for

from .charts import attainment_chart
from .figures import measuring
from .periods import checkpoints, goal_period
from .rules import attainment
from .selectors import Standing, home_standings, trend

TREND_EVERY = 3  # months between the chart's points (and today's)


def goals_panel(request: HttpRequest) -> dict[str, Any] | None:
    scope = scope_for(request.user)
    if not scope.everything and scope.rep is None:
        return None
    day = today()
    period = goal_period(str(day.year), day)
    with measuring():
        rows = home_standings(user=request.user, period=period, day=day)
        chart = _chart(rows, period, day)
    return {
        "title": f"Goals {period.label}",
        "url": reverse("goals:index"),
        "rows": rows,
        "chart": chart,
        "off_track_url": reverse("goals:off_track"),
        "empty": f"No goals for {period.label} in your part of the organisation yet.",
    }


def _chart(rows: list[Standing], period: Any, day: Any) -> dict | None:
    if not rows:
        return None
    first = rows[0].key
    mine = [s for s in rows if s.key == first]
    days = checkpoints(period, day)
    days = [d for i, d in enumerate(days) if (i + 1) % TREND_EVERY == 0 or d == days[-1]]
    if not days:
        return None
    series = {}
    for s in mine:
        points = {d: (v, t) for d, v, t in trend(s.goal, s.figure, period, day, days)}
        series[s.figure.label] = [attainment(*points[d]) for d in days]
    return attainment_chart(days, series)
