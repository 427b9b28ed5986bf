"""A hand-worked book for the retention tests (figures worked out in the test docstrings)."""

from __future__ import annotations

from datetime import date

from tests import factories as f

Q4 = date(2025, 11, 15)  # inside P' = 2025-Q4
Q1 = date(2026, 2, 10)  # inside P = 2026-Q1


def book(org):
    """North (R1): A1 100->150, A2 200->50, A3 100->nothing (lost, no reason),
    A4 50 -> 30-40=-10 (lost, reason price), A5 new in P (80), A6 (no owner) 60-60=0 -> 20.
    South: A7 300->300, owned by R3 at P.start, by R4 from 2026-02-15.
    No territory: A8 ordered in 2024, 10 in P, nobody owns it."""
    north, south = f.territory("North", "East"), f.territory("South", "West")
    r1, r3, r4 = org["R1"], org["R3"], org["R4"]
    since = date(2024, 1, 1)
    acc = {}
    for name, rev_prev, rev_p in [("A1", ["100"], ["150"]), ("A2", ["200"], ["50"]), ("A3", ["100"], [])]:
        acc[name] = f.account(name, owner=r1, territory=north, since=since)
        for amount in rev_prev:
            f.order(acc[name], Q4, amount)
        for amount in rev_p:
            f.order(acc[name], Q1, amount)
    acc["A4"] = f.account(
        "A4",
        owner=r1,
        territory=north,
        since=since,
        status="lost",
        lost_date=date(2026, 3, 1),
        lost_reason="price",
    )
    f.order(acc["A4"], Q4, "50")
    f.order(acc["A4"], Q1, "30")
    f.order(acc["A4"], date(2026, 3, 1), "-40")
    acc["A5"] = f.account("A5", owner=r1, territory=north, since=date(2026, 1, 5))
    f.order(acc["A5"], date(2026, 1, 5), "80")
    acc["A6"] = f.account("A6", territory=north, since=since)
    f.order(acc["A6"], Q4, "60")
    f.order(acc["A6"], date(2025, 12, 31), "-60")
    f.order(acc["A6"], date(2026, 1, 1), "20")
    acc["A7"] = f.account("A7", territory=south, since=since)
    f.own(acc["A7"], r3, since, end=date(2026, 2, 14))
    f.own(acc["A7"], r4, date(2026, 2, 15))
    f.order(acc["A7"], Q4, "300")
    f.order(acc["A7"], date(2026, 3, 31), "300")
    acc["A8"] = f.account("A8", since=since)
    f.order(acc["A8"], date(2024, 6, 1), "10")
    f.order(acc["A8"], Q1, "10")
    return acc
