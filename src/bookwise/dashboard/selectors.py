"""The book-health figures of the home page, scoped to the user (no models of its own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bookwise.core import charts
from bookwise.core.dates import Period
from bookwise.retention.book import AtRiskRow, GapRow, at_risk, gap_rows, tier_mix, tier_rows
from bookwise.retention.metrics import RetentionFigures
from bookwise.retention.reports import LostAccount, LostTotals, lost_from_revenues, lost_totals
from bookwise.retention.rows import last_complete_quarter
from bookwise.retention.trend import Trend, retention_trend

TOP = 10


@dataclass
class BookHealth:
    period: Period
    today: date
    overall: RetentionFigures | None
    trend: Trend
    lost: list[LostAccount]
    lost_totals: LostTotals
    at_risk: list[AtRiskRow]
    gaps: list[GapRow]
    tier_mix: dict
    empty: bool


def book_health(*, user: Any, today: date) -> BookHealth:
    period = last_complete_quarter(today)
    trend = retention_trend(last=period, quarters=8, by="territory", user=user)
    lost = lost_from_revenues(period, trend.revenues)
    tiers = tier_rows(day=today, user=user)
    gaps = [r for r in gap_rows(day=today, user=user) if r.info.gap][:TOP]
    return BookHealth(
        period=period,
        today=today,
        overall=trend.overall[-1] if trend.by_group else None,
        trend=trend,
        lost=lost,
        lost_totals=lost_totals(lost),
        at_risk=at_risk(day=today, user=user),
        gaps=gaps,
        tier_mix=tier_mix(tiers),
        empty=not tiers,
    )


def trend_chart(trend: Trend) -> dict:
    labels = [q.label for q in trend.quarters]
    series = {(group or "(none)"): [f.nrr for f in figures] for group, figures in trend.by_group.items()}
    series["All"] = [f.nrr for f in trend.overall]
    return charts.line_chart(
        "Net revenue retention by territory, last 8 quarters", labels, series, yaxis={"tickformat": ".0%"}
    )


def lost_chart(totals: LostTotals) -> dict:
    return charts.pie_chart(
        "Lost revenue by cause", list(totals.by_cause), [v for _, v in totals.by_cause.values()]
    )
