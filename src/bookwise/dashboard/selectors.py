"""The book-health figures of the home page, scoped to the user (no models of its own)."""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import BigIntegerField
from django.db.models.functions import Cast

from bookwise.accounts.models import Account
from bookwise.core import charts
from bookwise.core.dates import Period, period_kind
from bookwise.core.periods import quarter_of
from bookwise.retention import metrics
from bookwise.retention.book import AtRiskRow, at_risk_summary
from bookwise.retention.coverage import book_extent, data_defaults, period_warnings
from bookwise.retention.metrics import RetentionFigures
from bookwise.retention.reports import (
    LostAccount,
    LostTotals,
    lost_summary,
    retention_report,
    scoped_accounts,
)
from bookwise.retention.rollup import money
from bookwise.retention.selectors import BookTiers, book_tiers, book_version
from bookwise.retention.trend import Trend, retention_trend

TOP = 10


@dataclass
class BookHealth:
    period: Period
    today: date  # the as-of date of the book figures (at risk, tiers, gaps)
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
    warnings: list[str] = field(default_factory=list)
    no_lines: bool = False


@dataclass(frozen=True)
class TopGap:
    account: Account
    tier: str
    gap: Decimal
    wallet_share: Decimal | None


def top_gaps(scope: Any, book: BookTiers) -> list[TopGap]:
    """The TOP biggest known gaps (METRICS.md Gap: potential minus T12M revenue, in cents)."""
    accounts = (Account.objects.all() if scope is None else scope).filter(potential_revenue__isnull=False)
    cents = accounts.order_by().values_list("id", "external_id", Cast("potential_revenue", BigIntegerField()))
    gaps = ((book.t12m_cents.get(pk, 0) - potential, ext, pk, potential) for pk, ext, potential in cents)
    top = heapq.nsmallest(TOP, (g for g in gaps if g[0] < 0))  # largest gap first, then by id
    objects = Account.objects.in_bulk([pk for _, _, pk, _ in top])
    return [
        TopGap(
            objects[pk],
            book.tier[pk],
            money(-negative),
            metrics.wallet_share(money(potential), book.t12m(pk)),
        )
        for negative, _, pk, potential in top
    ]


def tier_mix(book: BookTiers, account_ids: list[int] | None) -> dict[str, tuple[int, Decimal]]:
    """Accounts and T12M revenue per tier over the accounts in scope (None: every account)."""
    counts = dict.fromkeys(metrics.TIERS, 0)
    cents = dict.fromkeys(metrics.TIERS, 0)
    for pk in book.tier if account_ids is None else account_ids:
        tier = book.tier[pk]
        counts[tier] += 1
        cents[tier] += book.t12m_cents.get(pk, 0)
    return {t: (counts[t], money(cents[t])) for t in metrics.TIERS}


def book_health(
    *, user: Any, today: date, period: Period | None = None, as_of: date | None = None
) -> BookHealth:
    """Everything the home page shows, computed from the data (the rollup for whole months):
    the 8-quarter trend to the period (default: the last complete quarter of the data) and its
    lost accounts, the at-risk count and the TOP first, the tier mix and the TOP gaps as of
    `as_of` (default: core.periods.default_as_of)."""
    default, default_day = data_defaults(today)
    period, as_of = period or default, as_of or default_day
    trend = retention_trend(last=trend_end(period), quarters=8, by="territory", user=user)
    scope = scoped_accounts(user)
    lost = lost_summary(period=period, user=user, top=TOP)
    risky = at_risk_summary(day=as_of, user=user, top=TOP)
    book = book_tiers(day=as_of, t12m_cents=risky.t12m_cents)
    ids = None if scope is None else list(scope.values_list("id", flat=True))
    return BookHealth(
        period=period,
        today=as_of,
        overall=overall_of(period, trend, user),
        trend=trend,
        lost=lost.top,
        lost_count=lost.count,
        lost_totals=lost.totals,
        at_risk=risky.top,
        at_risk_count=risky.count,
        gaps=top_gaps(scope, book),
        tier_mix=tier_mix(book, ids),
        empty=not (book.tier if ids is None else ids),
        warnings=period_warnings(period, today),
        no_lines=book_extent()[1] is None,
    )


def trend_end(period: Period) -> Period:
    """The last quarter of the trend: the period when it is one, else the quarter it ends in."""
    return period if period_kind(period.label) == "quarter" else quarter_of(period.end)


def overall_of(period: Period, trend: Trend, user: Any) -> RetentionFigures | None:
    """The whole view's figures of the period: the trend's last step for a quarter (same
    figures, no second read), else the overall retention report."""
    if not trend.by_group:
        return None
    if trend.quarters[-1] == period:
        return trend.overall[-1]
    return retention_report(period=period, by="overall", user=user)[0]


def trend_chart(trend: Trend) -> dict:
    labels = [q.label for q in trend.quarters]
    series = {(group or "(none)"): [f.nrr for f in figures] for group, figures in trend.by_group.items()}
    series["All"] = [f.nrr for f in trend.overall]
    return charts.line_chart(
        "Net revenue retention by territory, last 8 quarters", labels, series, yaxis={"tickformat": ".0%"}
    )


def lost_chart(totals: LostTotals) -> dict:
    labels = [cause.capitalize() for cause in totals.by_cause]  # colours: charts.CATEGORY_COLOURS
    return charts.pie_chart("Lost revenue by cause", labels, [v for _, v in totals.by_cause.values()])


CACHE_SECONDS = 300


def data_version(user: Any, today: date, *asked: Any) -> str:
    """A key that changes whenever anything the dashboard shows may have changed: order lines
    (highest id, rollup refresh), accounts, ownership, tier pins, the user and the day."""
    parts = [book_version(), getattr(user, "pk", None), today, asked]
    return "bookwise:dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def book_health_cached(
    *, user: Any, today: date, period: Period | None = None, as_of: date | None = None
) -> BookHealth:
    """book_health, kept for CACHE_SECONDS while the data it reads is unchanged."""
    key = data_version(user, today, period, as_of)
    health = cache.get(key)
    if health is None:
        health = book_health(user=user, today=today, period=period, as_of=as_of)
        cache.set(key, health, CACHE_SECONDS)
    return health
