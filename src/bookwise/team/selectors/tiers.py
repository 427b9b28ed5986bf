"""The book's ABC tiers for the sales managers' plan coverage, from the T12M revenues the
scorecards have already summed: window 0 of `Facts.sums` is the T12M at d, window 1 the
T12M at d - 12 months, the two days the plan coverage is asked for. Ranked by the retention
app's own rule (`retention.metrics.assign_tiers` with its settings, pins win), exactly like
`retention.selectors.account_tiers` (a test holds them equal), and handed to the plans app
(`coverage_facts(tiers=...)`) so that it does not sum a year of revenue again for each day."""

from __future__ import annotations

from decimal import Decimal

from bookwise.accounts.models import Account
from bookwise.retention.metrics import TierInput, assign_tiers
from bookwise.retention.models import TierPin
from bookwise.retention.selectors import TierInfo, setting

from .facts import Facts

ZERO = Decimal("0.00")


def book_tiers(facts: Facts, idx: int) -> dict[int, TierInfo]:
    """account pk -> tier at the end of window `idx` (0: d, 1: d - 12 months). Only for facts
    of the whole book (collect_facts with rep_ids None)."""
    revenue = {pk: sums.rev[idx] for pk, sums in facts.sums.items()}
    rows = [
        TierInput(pk, ext, revenue.get(pk, ZERO))
        for pk, ext in Account.objects.order_by().values_list("id", "external_id")
    ]
    computed = assign_tiers(rows, setting("tier_a_share", "0.80"), setting("tier_b_share", "0.95"))
    pins = dict(TierPin.objects.values_list("account_id", "tier"))
    return {
        row.key: TierInfo(
            pins.get(row.key) or computed[row.key],
            revenue.get(row.key, ZERO),
            row.key in pins,
            computed[row.key],
        )
        for row in rows
    }
