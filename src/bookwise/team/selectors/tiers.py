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
from bookwise.retention.metrics import assign_tiers
from bookwise.retention.models import TierPin
from bookwise.retention.selectors import setting

from .credits import money
from .facts import Facts

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
    the retention app's own ranking (`assign_tiers`, its settings), on integer cents (the
    same order and shares as the amounts)."""
    if facts.memo.accounts is None:
        facts.memo.accounts = list(Account.objects.order_by().values_list("id", "external_id"))
    cents = {pk: sums.rev[idx] for pk, sums in facts.sums.items() if sums.rev[idx]}
    rows = [(pk, ext, cents.get(pk, 0)) for pk, ext in facts.memo.accounts]
    computed = assign_tiers(rows, setting("tier_a_share", "0.80"), setting("tier_b_share", "0.95"))
    pins = dict(TierPin.objects.values_list("account_id", "tier"))
    return {
        pk: Tier(pins.get(pk) or tier, money(cents[pk]) if pk in cents else ZERO, pk in pins, tier)
        for pk, tier in computed.items()
    }
