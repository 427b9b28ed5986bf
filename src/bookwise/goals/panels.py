"""The goals panel of the home page: the goals of the user's own part of the organisation
this year (the company, the territories and regions a manager leads, a rep's own), where
each stands, and the attainment of the first node's goals over the year."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse

from bookwise.accounts.selectors import today
from bookwise.core.dates import Period
from bookwise.people.selectors import scope_for

from .charts import attainment_chart
from .figures import measuring
from .periods import checkpoints, goal_period
from .rules import attainment
from .selectors import Standing, data_version, home_standings, trend

TREND_EVERY = 3  # months between the chart's points (and today's)
CACHE_SECONDS = 300


def goals_panel(request: HttpRequest) -> dict[str, Any] | None:
    scope = scope_for(request.user)
    if not scope.everything and scope.rep is None:
        return None
    day = today()
    period = goal_period(str(day.year), day)
    rows, chart = _standings_and_chart(request.user, period, day)
    return {
        "title": f"Goals {period.label}",
        "url": reverse("goals:index"),
        "rows": rows,
        "chart": chart,
        "off_track_url": reverse("goals:off_track"),
        "empty": f"No goals for {period.label} in your part of the organisation yet.",
    }


def _standings_and_chart(user: Any, period: Period, day: date) -> tuple[list[Standing], dict | None]:
    """The panel's rows and chart, kept in the shared cache for CACHE_SECONDS while nothing
    they are read from changed (the book, goals, agreements, the organisation), per user and
    day: computing them is most of the home page's time."""
    key = "bookwise:goals-panel:" + hashlib.sha256(repr((data_version(), user.pk, day)).encode()).hexdigest()
    kept = cache.get(key)
    if kept is None:
        with measuring():
            rows = home_standings(user=user, period=period, day=day)
            kept = (rows, _chart(rows, period, day))
        cache.set(key, kept, CACHE_SECONDS)
    return kept


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
