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
from bookwise.retention.metrics import TierInput, assign_tiers
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
    of the whole book (collect_facts with rep_ids None)."""
    if "accounts" not in facts.memo:
        facts.memo["accounts"] = list(Account.objects.order_by().values_list("id", "external_id"))
    cents = {pk: sums.rev[idx] for pk, sums in facts.sums.items() if sums.rev[idx]}
    # In the rule's own order already (largest revenue first, then account id), sorted on
    # integer cents: the rule's sort of Decimal amounts then only confirms it.
    ordered = sorted(facts.memo["accounts"], key=lambda a: (-cents.get(a[0], 0), a[1]))
    revenue = {pk: money(c) for pk, c in cents.items()}
    rows = [TierInput(pk, ext, revenue.get(pk, ZERO)) for pk, ext in ordered]
    computed = assign_tiers(rows, setting("tier_a_share", "0.80"), setting("tier_b_share", "0.95"))
    pins = dict(TierPin.objects.values_list("account_id", "tier"))
    return {
        pk: Tier(pins.get(pk) or computed[pk], revenue.get(pk, ZERO), pk in pins, computed[pk])
        for pk, _ in ordered
    }
