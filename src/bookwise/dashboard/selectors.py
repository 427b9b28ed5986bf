"""The book-health figures of the home page, scoped to the user (no models of its own)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bookwise.accounts.models import Account
from bookwise.core import charts
from bookwise.core.dates import Period
from bookwise.retention import metrics
from bookwise.retention.book import AtRiskRow, at_risk
from bookwise.retention.metrics import RetentionFigures
from bookwise.retention.reports import (
    LostAccount,
    LostTotals,
    lost_accounts,
    lost_totals,
    scoped_accounts,
)
from bookwise.retention.rows import last_complete_quarter
from bookwise.retention.selectors import TierInfo, account_tiers
from bookwise.retention.trend import Trend, retention_trend

TOP = 10


@dataclass
class BookHealth:
    period: Period
    today: date
    overall: RetentionFigures | None
    trend: Trend
    lost: list[LostAccount]  # the TOP largest
    lost_count: int
    lost_totals: LostTotals
    at_risk: list[AtRiskRow]  # the TOP first
    at_risk_count: int
    gaps: list[TopGap]
    tier_mix: dict
    empty: bool


@dataclass(frozen=True)
class TopGap:
    account: Account
    tier: str
    gap: Decimal
    wallet_share: Decimal | None


def top_gaps(scope: Any, tiers: dict[int, TierInfo]) -> list[TopGap]:
    """The TOP biggest known gaps (T12M revenue taken from the tier figures)."""
    accounts = (Account.objects.all() if scope is None else scope).filter(potential_revenue__isnull=False)
    gaps = []
    for pk, ext, potential in accounts.order_by().values_list("id", "external_id", "potential_revenue"):
        gap = metrics.gap(potential, tiers[pk].t12m_revenue)
        if gap:
            gaps.append((-gap, ext, pk, potential))
    top = sorted(gaps)[:TOP]
    objects = Account.objects.in_bulk([pk for _, _, pk, _ in top])
    return [
        TopGap(objects[pk], tiers[pk].tier, -neg, metrics.wallet_share(potential, tiers[pk].t12m_revenue))
        for neg, _, pk, potential in top
    ]


def book_health(*, user: Any, today: date) -> BookHealth:
    period = last_complete_quarter(today)
    trend = retention_trend(last=period, quarters=8, by="territory", user=user)
    scope = scoped_accounts(user)
    lost = lost_accounts(period=period, user=user)
    risky = at_risk(day=today, user=user)
    ids = None if scope is None else list(scope.values_list("id", flat=True))
    tiers = account_tiers(day=today, account_ids=ids)
    gaps = top_gaps(scope, tiers)
    return BookHealth(
        period=period,
        today=today,
        overall=trend.overall[-1] if trend.by_group else None,
        trend=trend,
        lost=lost[:TOP],
        lost_count=len(lost),
        lost_totals=lost_totals(lost),
        at_risk=risky[:TOP],
        at_risk_count=len(risky),
        gaps=gaps,
        tier_mix=mix_of(tiers.values()),
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


def mix_of(tiers: Iterable[TierInfo]) -> dict[str, tuple[int, Decimal]]:
    mix = {t: (0, Decimal("0.00")) for t in metrics.TIERS}
    for info in tiers:
        n, total = mix[info.tier]
        mix[info.tier] = (n + 1, total + info.t12m_revenue)
    return mix


CACHE_SECONDS = 300


def data_version(user: Any, today: date) -> str:
    """A key that changes whenever anything the dashboard shows may have changed: order lines
    (highest id, rollup refresh), accounts, ownership, tier pins, the user and the day."""
    from django.db.models import Count, Max

    from bookwise.accounts.models import Ownership
    from bookwise.retention.models import RollupState, TierPin
    from bookwise.retention.rollup import max_line_id

    accounts = Account.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    parts = [
        max_line_id(),
        RollupState.objects.aggregate(at=Max("refreshed_at"))["at"],
        accounts["n"],
        accounts["at"],
        Ownership.objects.aggregate(at=Max("updated_at"), n=Count("id")).values(),
        TierPin.objects.aggregate(at=Max("updated_at"), n=Count("id")).values(),
        getattr(user, "pk", None),
        today,
    ]
    return "bookwise:dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def book_health_cached(*, user: Any, today: date) -> BookHealth:
    """book_health, kept for CACHE_SECONDS while the data it reads is unchanged."""
    from django.core.cache import cache

    key = data_version(user, today)
    health = cache.get(key)
    if health is None:
        health = book_health(user=user, today=today)
        cache.set(key, health, CACHE_SECONDS)
    return health
