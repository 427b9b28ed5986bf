"""Test helpers for transfers (our own, on top of tests/factories.py)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from bookwise.core.dates import add_months
from bookwise.transfers import services
from bookwise.transfers.models import Transfer
from tests import factories

# today: an effective date must lie within the window around today (transfers.rules.window),
# and the interview and the introduction cannot be dated before the transfer was drafted
EFFECTIVE = timezone.localdate()
# Scenarios written for June 2026 run in the current month: d(2026, 6, 1) is the first of this
# month, every other day moved by the same number of months (tiers and rollups see the same
# calendar months, and effective dates stay within the transfers' window around today).
SHIFT_MONTHS = (EFFECTIVE.year - 2026) * 12 + EFFECTIVE.month - 6


def d(year: int, month: int, day: int) -> date:
    return add_months(date(year, month, day), SHIFT_MONTHS)


SECTIONS = {
    "recent_sales": "Steady repeat orders.",
    "upcoming_opportunities": "Renewal in Q3.",
    "ongoing_obstacles": "Price pressure from a competitor.",
    "past_obstacles": "Late deliveries in 2025, fixed with a weekly call.",
    "key_contacts": "Jane (buyer), Tom (CFO).",
}


def book(org, owner_key: str = "R1", account_id: str = "ACME") -> object:
    a = factories.account(account_id, owner=org[owner_key], territory=org[owner_key].territory)
    factories.order(a, date(2026, 1, 10), "1200.00", gp="300.00", product_line="Paper")
    return a


def draft(org, account, to_key: str = "R2", actor_key: str = "M1", **kw) -> Transfer:
    return services.transfer_create(
        account=account,
        to_rep=org[to_key],
        effective_date=kw.pop("effective_date", EFFECTIVE),
        reason=kw.pop("reason", "rebalance"),
        actor=org[actor_key].user,
        **kw,
    )


def introduced(org, account, to_key: str = "R2", actor_key: str = "M1", **kw) -> Transfer:
    actor = org[actor_key].user
    transfer = draft(org, account, to_key, actor_key, **kw)
    transfer = services.transfer_start_handoff(transfer=transfer, actor=actor)
    services.interview_update(transfer=transfer, actor=actor, **SECTIONS)
    # met today: the day the transfer was drafted (EFFECTIVE is taken once, at import, and
    # would be the day before for a test that runs past midnight)
    return services.transfer_introduce(
        transfer=transfer, actor=actor, meeting_date=timezone.localdate(), attendees="all"
    )
