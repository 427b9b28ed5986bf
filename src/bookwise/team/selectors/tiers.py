"""The book's ABC tiers for the sales managers' plan coverage, from the T12M revenues the
scorecards have already summed: window 0 of `Facts.sums` is the T12M at d, window 1 the
T12M at d - 12 months, the two days the plan coverage is asked for. Ranked by the retention
app's own rule (`retention.metrics.assign_tiers` with its settings, pins win), exactly like
`retention.selectors.account_tiers` (a test holds them equal), and handed to the plans app
(`coverage_facts(tiers=...)`) so that it does not sum a year of revenue again for each day."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from bookwise.accounts.models import Account
from bookwise.retention.metrics import tier_for_share
from bookwise.retention.models import TierPin
from bookwise.retention.selectors import setting

from .facts import Facts
from .lines import money

ZERO = Decimal("0.00")


class Tier(NamedTuple):
    """The fields of `retention.selectors.TierInfo` (a light tuple: 50,000 of them per day)."""

    tier: str
    t12m_revenue: Decimal
    pinned: bool
    computed_tier: str


def book_tiers(facts: Facts, idx: int) -> dict[int, Tier]:
    """account pk -> tier at the end of window `idx` (0: d, 1: d - 12 months). Only for facts
    of the whole book (collect_facts with rep_ids None).

    METRICS.md Tiers: accounts sorted by T12M revenue, largest first (ties by account id), each
    tiered by the share of the total held by the accounts before it; the share is compared by
    the retention app's own rule (`tier_for_share`, its settings). Sorted here on integer
    cents (the same order as the amounts), with no intermediate objects: 50,000 accounts."""
    if "accounts" not in facts.memo:
        facts.memo["accounts"] = list(Account.objects.order_by().values_list("id", "external_id"))
    cents = {pk: sums.rev[idx] for pk, sums in facts.sums.items() if sums.rev[idx]}
    ordered = sorted([(-cents.get(pk, 0), ext, pk) for pk, ext in facts.memo["accounts"]])
    total = money(sum(cents.values()))
    a_share, b_share = setting("tier_a_share", "0.80"), setting("tier_b_share", "0.95")
    pins = dict(TierPin.objects.values_list("account_id", "tier"))
    tiers: dict[int, Tier] = {}
    before = 0  # cents
    for negative, _, pk in ordered:
        tier = tier_for_share(money(before), total, a_share, b_share)
        before -= negative
        tiers[pk] = Tier(pins.get(pk) or tier, money(-negative) if negative else ZERO, pk in pins, tier)
    return tiers
