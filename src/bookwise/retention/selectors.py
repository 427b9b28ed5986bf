"""Reads for tiers and share-of-wallet gaps (METRICS.md Tiers, Gap), computed in the
database (one grouped query per figure), the rules applied by `retention.metrics`."""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Count

from bookwise.accounts.models import Account, OrderLine, Ownership
from bookwise.core import marks
from bookwise.core.dates import trailing_12_months

from . import metrics, rollup
from .models import RollupState, TierPin
from .refresh import ensure_fresh

ZERO = Decimal("0.00")
T = TypeVar("T")


def setting(name: str, default: str) -> Decimal:
    return Decimal(str(settings.BOOKWISE.get(name, default)))


def revenue_between(start: date, end: date, account_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """account pk -> sum of order line amounts dated in [start, end] (accounts with lines only)."""
    if account_ids is None:
        return {pk: s["r"] for pk, s in rollup.account_sums({"r": (start, end)}).items()}
    ids = list(account_ids)
    sums = rollup.account_sums({"r": (start, end)}, scope=Account.objects.filter(id__in=ids))
    return {pk: sums[pk]["r"] for pk in ids if pk in sums}


@dataclass(frozen=True)
class TierInfo:
    tier: str
    t12m_revenue: Decimal
    pinned: bool
    computed_tier: str


def account_tiers(*, day: date, account_ids: Iterable[int] | None = None) -> dict[int, TierInfo]:
    """ABC tier of accounts at `day`, keyed by account pk. Computed over the whole book (the
    cumulative share needs every account), returned for `account_ids` (default: all). A pinned
    tier wins and is marked pinned."""
    book = _book_tiers(day)
    if account_ids is None:
        return dict(book)
    return {pk: book[pk] for pk in account_ids if pk in book}


# The whole book's tiers and the industries' product lines take a pass over a year of order
# lines (a second on millions of lines), and every page that lists or shows accounts needs
# them: they are kept in Django's cache (shared by every process: Redis in production) under
# the fingerprint of the data they come from, so a change seen by one process is seen by all,
# for TIER_CACHE_SECONDS at most; this process also keeps the last one it used.
TIER_CACHE_SECONDS = 600


class _TierMemo(dict[str, tuple[float, str, Any]]):
    """name -> (when, key, value) last used here; clear() also drops from the shared cache
    what this process put there (tests whose rolled-back data may repeat a fingerprint)."""

    def __init__(self) -> None:
        super().__init__()
        self.written: set[str] = set()

    def clear(self) -> None:
        super().clear()
        cache.delete_many(list(self.written))
        self.written.clear()


_tier_cache = _TierMemo()


def _cached(name: str, day: date, compute: Callable[[], T]) -> T:
    ttl = float(str(settings.BOOKWISE.get("tier_cache_seconds", TIER_CACHE_SECONDS)))
    key = _key(name, day)
    local = _tier_cache.get(name)
    if local and local[1] == key and time.monotonic() - local[0] < ttl:
        return cast(T, local[2])
    value = cache.get(key)
    if value is None:
        # bring the rollup up to date first and take the key again: a refresh inside compute()
        # would change the fingerprint after the value was stored under the old one, and the
        # next reader (in any process) would miss it
        ensure_fresh()
        key = _key(name, day)
        value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ttl)
        _tier_cache.written.add(key)
    _tier_cache[name] = (time.monotonic(), key, value)
    return cast(T, value)


def _key(name: str, day: date) -> str:
    return f"retention:{name}:" + hashlib.sha256(repr(_tier_fingerprint(day)).encode()).hexdigest()


def _tier_fingerprint(day: date) -> tuple[object, ...]:
    """Cheap signs that tiers or whitespace may have changed: order lines added (max id) or
    corrected (the rollup refresh an import makes), accounts added or changed, pins changed."""
    return (
        day,
        *marks.read(
            marks.highest(OrderLine),
            marks.highest(Account),
            marks.highest(Account, "updated_at"),
            marks.highest(TierPin, "updated_at"),
            marks.count(TierPin),
            marks.value_of_row_one(RollupState, "refreshed_at"),
        ),
    )


def book_version() -> tuple[object, ...]:
    """Cheap signs that anything read from the book may have changed, for results kept
    between requests (the dashboard's figures, the goals panel): order lines added (highest
    id) or corrected (the rollup refresh every import makes), accounts, ownership and tier
    pins added or changed."""
    return marks.read(
        marks.highest(OrderLine),
        marks.value_of_row_one(RollupState, "refreshed_at"),
        *(query(model) for model in (Account, Ownership, TierPin) for query in (marks.count, _latest_update)),
    )


def _latest_update(model: type[models.Model]) -> str:
    return marks.highest(model, "updated_at")


@dataclass(frozen=True)
class BookTiers:
    """The whole book's tiers at a day, in plain values: what account_tiers() is made of, for
    callers that need totals over many accounts (the dashboard) rather than TierInfo objects."""

    t12m_cents: dict[int, int]  # T12M revenue in cents, accounts with lines in the window
    tier: dict[int, str]  # every account: its tier, a pinned one winning
    computed: dict[int, str]  # every account: the tier its revenue gives
    pinned: frozenset[int]

    def t12m(self, pk: int) -> Decimal:
        cents = self.t12m_cents.get(pk, 0)
        return rollup.money(cents) if cents else ZERO


def book_tiers(*, day: date, t12m_cents: dict[int, int] | None = None) -> BookTiers:
    """Tiers of every account at `day` (kept per process, see _cached). A caller that has just
    read every account's T12M revenue in cents (the dashboard's at-risk read does) passes it in,
    to be used if the tiers must be computed."""
    return _cached("book", day, lambda: _compute_book(day, t12m_cents))


def _compute_book(day: date, cents: dict[int, int] | None = None) -> BookTiers:
    """T12M revenue in cents from one grouped read (whole months from the rollup, the partial
    months at the edges from the order lines), ranked by `metrics.assign_tiers` (cents rank and
    compare exactly as the amounts do: the shares are the same)."""
    if cents is None:
        t12m = trailing_12_months(day)
        facts = rollup.per_account({"r": (t12m.start, t12m.end)}, figures_only=True)
        statement = "SELECT acc, c0 FROM ({facts}) f WHERE c0 <> 0"
        cents = {pk: int(c) for pk, c in rollup.fetch(*facts.compose(statement))}
    ids = Account.objects.order_by().values_list("id", "external_id")
    rows = [(pk, ext, cents.get(pk, 0)) for pk, ext in ids]
    computed = metrics.assign_tiers(rows, setting("tier_a_share", "0.80"), setting("tier_b_share", "0.95"))
    pins = dict(TierPin.objects.values_list("account_id", "tier"))
    tier = computed | pins if pins else computed
    return BookTiers(cents, tier, computed, frozenset(pins))


def _book_tiers(day: date) -> dict[int, TierInfo]:
    return _cached("tiers", day, lambda: _tier_infos(book_tiers(day=day)))


def _tier_infos(book: BookTiers) -> dict[int, TierInfo]:
    return {
        pk: TierInfo(book.tier[pk], book.t12m(pk), pk in book.pinned, computed)
        for pk, computed in book.computed.items()
    }


@dataclass(frozen=True)
class GapInfo:
    potential_revenue: Decimal | None
    t12m_revenue: Decimal
    gap: Decimal | None
    wallet_share: Decimal | None
    whitespace: list[str]


def _common_lines_by_industry(start: date, end: date) -> dict[str, set[str]]:
    """industry -> product lines bought (a line with a positive amount in [start, end]) by at
    least `whitespace_share` of the industry's active accounts, for every industry."""
    active = dict(
        Account.objects.filter(status="active")
        .exclude(industry="")
        .order_by()
        .values("industry")
        .annotate(n=Count("id"))
        .values_list("industry", "n")
    )
    buyers: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        OrderLine.objects.filter(
            order_date__gte=start,
            order_date__lte=end,
            amount__gt=0,
            account__status="active",
        )
        .exclude(account__industry="")
        .exclude(product_line="")
        .order_by()
        .values("account__industry", "product_line")
        .annotate(n=Count("account_id", distinct=True))
        .values_list("account__industry", "product_line", "n")
    )
    for industry, line, n in rows:
        buyers[industry][line] = n
    share = setting("whitespace_share", "0.30")
    return {ind: metrics.common_lines(active.get(ind, 0), buyers[ind], share) for ind in active}


def _common_lines_from(
    facts: list[tuple[int, Decimal | None, str, str]], bought: dict[int, set[str]]
) -> dict[str, set[str]]:
    """`_common_lines_by_industry` from every account's (pk, potential, industry, status) and
    the product lines each bought in the window (no second pass over the order lines)."""
    active: dict[str, int] = defaultdict(int)
    buyers: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pk, _, industry, status in facts:
        if status != "active" or not industry:
            continue
        active[industry] += 1
        for line in bought.get(pk, ()):
            if line:
                buyers[industry][line] += 1
    share = setting("whitespace_share", "0.30")
    return {ind: metrics.common_lines(n, buyers[ind], share) for ind, n in active.items()}


def _lines_bought(start: date, end: date, account_ids: list[int] | None) -> dict[int, set[str]]:
    qs = OrderLine.objects.filter(order_date__gte=start, order_date__lte=end, amount__gt=0)
    if account_ids is not None:
        qs = qs.filter(account_id__in=account_ids)
    bought: dict[int, set[str]] = defaultdict(set)
    for pk, line in qs.order_by().values_list("account_id", "product_line").distinct():
        bought[pk].add(line)
    return bought


def account_gaps(*, day: date, account_ids: Iterable[int] | None = None) -> dict[int, GapInfo]:
    """Potential, T12M revenue, gap, wallet share and whitespace per account at `day`."""
    t12m = trailing_12_months(day)
    ids = None if account_ids is None else list(account_ids)
    accounts = Account.objects.order_by()
    if ids is not None:
        accounts = accounts.filter(id__in=ids)
    facts = list(accounts.values_list("id", "potential_revenue", "industry", "status"))
    revenue = revenue_between(t12m.start, t12m.end, ids)
    bought = _lines_bought(t12m.start, t12m.end, ids)
    if ids is None:  # the whole book's purchases are at hand: the industries' lines come from them
        common = _cached("whitespace", day, lambda: _common_lines_from(facts, bought))
    else:
        common = _cached("whitespace", day, lambda: _common_lines_by_industry(t12m.start, t12m.end))
    result = {}
    for pk, potential, industry, _ in facts:
        rev = revenue.get(pk, ZERO)
        result[pk] = GapInfo(
            potential_revenue=potential,
            t12m_revenue=rev,
            gap=metrics.gap(potential, rev),
            wallet_share=metrics.wallet_share(potential, rev),
            whitespace=metrics.whitespace(common.get(industry, set()), bought.get(pk, set())),
        )
    return result
