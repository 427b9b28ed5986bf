"""The dashboard reads whole months and quarters from the rollup and the partial months from the
order lines; with a stale rollup it reads the order lines only. Both must show the same book."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from bookwise.accounts.models import Account
from bookwise.dashboard.selectors import book_health
from bookwise.retention import rollup, selectors
from bookwise.retention.book import at_risk, at_risk_summary
from bookwise.retention.models import TierPin
from bookwise.retention.services import revenue_rollup_refresh
from tests import factories as f

TODAY = date(2026, 11, 22)  # last complete quarter P = 2026-Q3, P' = 2026-Q2


def _every(a, start, end, days, amount):
    day = start
    while day <= end:
        f.order(a, day, amount)
        day += timedelta(days=days)


def _book(org):
    north, south = f.territory("North", "East"), f.territory("South", "West")
    r1, r2, r3, r4 = org["R1"], org["R2"], org["R3"], org["R4"]
    acc = {}
    # B1: the 15th of every month from 2024-06; around the T12M edges (2025-11-23, 2026-11-22):
    # a credit note on 2025-11-25 (T12M), 400 on 2025-11-10 (the 12 months before), 250 today
    # and 5,000 dated after today (in no window)
    acc["B1"] = f.account("B1", owner=r1, territory=north, potential="50000", since=date(2024, 6, 1))
    _every(acc["B1"], date(2024, 6, 15), date(2026, 11, 15), 30, "1000")
    for day, amount in [
        (date(2025, 11, 25), "-300"),
        (date(2025, 11, 10), "400"),
        (TODAY, "250"),
        (date(2026, 11, 25), "5000"),
    ]:
        f.order(acc["B1"], day, amount)
    # B2: bought in P' and before, nothing in P (lost, no reason); R1 hands it to R2 mid-P
    acc["B2"] = f.account("B2", territory=north, potential="9000", since=date(2025, 1, 1))
    f.own(acc["B2"], r1, date(2025, 1, 1), end=date(2026, 8, 14))
    f.own(acc["B2"], r2, date(2026, 8, 15))
    for day, amount in [(date(2026, 2, 3), "1500"), (date(2026, 5, 20), "2000"), (date(2025, 3, 3), "700")]:
        f.order(acc["B2"], day, amount)
    # B3: revenue halved on the year before, and a month made negative by a credit note
    acc["B3"] = f.account("B3", owner=r3, territory=south, potential="20000", since=date(2025, 1, 1))
    _every(acc["B3"], date(2025, 1, 5), date(2025, 6, 30), 30, "1700")
    _every(acc["B3"], date(2026, 1, 5), date(2026, 3, 31), 30, "1800")
    f.order(acc["B3"], date(2026, 2, 16), "-600")
    # B4: every 20 days, then silent since May; R3 handed it to R4 in December
    acc["B4"] = f.account("B4", territory=south, since=date(2024, 11, 1))
    f.own(acc["B4"], r3, date(2024, 11, 1), end=date(2025, 11, 30))
    f.own(acc["B4"], r4, date(2025, 12, 1))
    _every(acc["B4"], date(2024, 11, 27), date(2026, 5, 31), 20, "300")
    # B5: first order in P (new), B6: first line ever a credit note in 2024-Q4
    acc["B5"] = f.account("B5", owner=r2, territory=north, potential="3000", since=date(2026, 8, 1))
    f.order(acc["B5"], date(2026, 8, 3), "900")
    acc["B6"] = f.account("B6", owner=r1, territory=north, since=date(2024, 12, 1))
    f.order(acc["B6"], date(2024, 12, 14), "-50")
    f.order(acc["B6"], date(2026, 7, 7), "300")
    # B7: nobody's, no territory: a month that sums to zero, orders in the edge month, pinned A
    acc["B7"] = f.account("B7", since=date(2026, 1, 1))
    for day, amount in [
        (date(2026, 4, 10), "80"),
        (date(2026, 4, 20), "-80"),
        (date(2026, 5, 31), "60"),
        (date(2026, 11, 2), "10"),
    ]:
        f.order(acc["B7"], day, amount)
    TierPin.objects.create(account=acc["B7"], tier="A")
    # B8: lost (price) in P, so not at risk whatever its revenue did
    acc["B8"] = f.account(
        "B8", owner=r4, territory=south, status="lost", lost_date=date(2026, 7, 15), lost_reason="price"
    )
    f.order(acc["B8"], date(2026, 6, 2), "4000")
    f.order(acc["B8"], date(2025, 6, 2), "9000")
    return acc


def _figures(g):
    return None if g is None else {k: v for k, v in vars(g).items() if k != "lost_keys"}


def _shown(h):
    """Everything the home page shows, as plain values."""
    return {
        "overall": _figures(h.overall),
        "trend": {g: [_figures(x) for x in fs] for g, fs in h.trend.by_group.items()},
        "lost": [(r.account.external_id, r.prior_revenue, r.owner_id, r.cause) for r in h.lost],
        "lost_count": h.lost_count,
        "lost_totals": (h.lost_totals.by_cause, list(h.lost_totals.by_reason.items())),
        "at_risk": [
            (r.account.external_id, r.flag, r.t12m_revenue, r.prev12m_revenue, r.last_order, r.owner_id)
            for r in h.at_risk
        ],
        "at_risk_count": h.at_risk_count,
        "gaps": [(g.account.external_id, g.tier, g.gap, g.wallet_share) for g in h.gaps],
        "tier_mix": h.tier_mix,
        "empty": h.empty,
    }


def _everything(users, days):
    selectors._tier_cache.clear()
    return {
        (who, day): _shown(book_health(user=user, today=day)) for who, user in users.items() for day in days
    }


DAYS = [TODAY, date(2026, 11, 5), date(2026, 9, 30), date(2026, 10, 1)]


@pytest.mark.django_db
def test_rollup_and_order_lines_give_the_same_dashboard(org):
    acc = _book(org)
    users = {
        "operator": None,
        "director": org["D1"].user,
        "M1": org["M1"].user,
        "M2": org["M2"].user,
        "R3": org["R3"].user,
    }
    assert not rollup.is_fresh()
    from_lines = _everything(users, DAYS)
    revenue_rollup_refresh()
    assert rollup.is_fresh()
    from_rollup = _everything(users, DAYS)
    assert from_rollup == from_lines

    # and the figures are the book's (worked by hand)
    h = from_rollup[("operator", TODAY)]
    # B1's T12M: 12 orders of 1,000 (2025-12-15 .. 2026-11-15), -300 and today's 250; not the 5,000
    # dated after today nor 2025-11-15's 1,000 and 2025-11-10's 400 (the 12 months before)
    assert selectors.book_tiers(day=TODAY).t12m(acc["B1"].pk) == D("11950.00")
    assert h["lost"] == [
        ("B8", D("4000.00"), "R4", "avoidable"),
        ("B2", D("2000.00"), "R1", "unexplained"),  # the owner on P.start, before the hand-over
        ("B4", D("900.00"), "R4", "unexplained"),  # 2026-04-11, 05-01, 05-21
        ("B7", D("60.00"), None, "unexplained"),  # 80 - 80 + 60
    ]
    assert h["lost_count"] == 4
    assert h["trend"]["North"][-1]["new_accounts"] == 1  # B5 (B6's first line was in 2024-Q4)
    # B3: 5,400 - 600 against 10,200 (down 52.9 %), silent 261 days against 425 / 8; B4: silent
    # since 2026-05-21 (every 20 days before); B2's three orders meet neither rule
    assert [(r[0], r[2], r[3], r[5]) for r in h["at_risk"]] == [
        ("B3", D("4800.00"), D("10200.00"), "R3"),
        ("B4", D("2700.00"), D("5700.00"), "R4"),  # the owner today
    ]
    assert h["at_risk_count"] == 2
    # T12M: B1 11,950, B3 4,800, B8 4,000, B2 3,500 (A: each before 80 % of 28,220), B4 2,700 (B),
    # B5 900, B6 300 (C) and B7 70, pinned A
    assert h["tier_mix"] == {
        "A": (5, D("24320.00")),
        "B": (1, D("2700.00")),
        "C": (2, D("1200.00")),
    }


@pytest.mark.django_db
def test_the_summary_is_the_head_of_the_list(org):
    """The dashboard's at-risk count and first rows (ranked in the database) are those of the
    at-risk list, for the whole book and a scope, with the rollup and without."""
    _book(org)
    for fresh in (False, True):
        if fresh:
            revenue_rollup_refresh()
        for user in (None, org["M1"].user, org["M2"].user):
            for day in DAYS:
                rows = at_risk(day=day, user=user)
                for top in (1, 2, 10):
                    summary = at_risk_summary(day=day, user=user, top=top)
                    assert (summary.top, summary.count) == (rows[:top], len(rows))
                if user is None:  # the whole book's T12M revenue comes with it
                    selectors._tier_cache.clear()
                    expected = selectors.book_tiers(day=day).t12m_cents
                    assert summary.t12m_cents == expected
    assert Account.objects.count() == 8
