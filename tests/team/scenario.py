"""The hand-worked book of tests/team (see docs/team.md for the arithmetic).

Day d = 2026-06-30: cur = [2025-07-01, 2026-06-30], prev = [2024-07-01, 2025-06-30],
prev2 = [2023-07-01, 2024-06-30]. Team M1: R1 (account manager, hunted until 2026), R2 (hunter)."""

from __future__ import annotations

from datetime import date

from tests import factories as f

D = date(2026, 6, 30)


def build(org: dict) -> dict:
    r1, r2, r3 = org["R1"], org["R2"], org["R3"]
    a = {}
    # R1's book since 2020.
    a["B1"] = f.account("B1", owner=r1)
    f.order(a["B1"], date(2025, 1, 10), "1000.00", gp="300.00")  # prev, credited to owner R1
    f.order(a["B1"], date(2025, 12, 1), "1200.00", gp="400.00")  # cur, credited to R1
    a["B2"] = f.account("B2", owner=r1)
    f.order(a["B2"], date(2024, 8, 1), "500.00", gp="100.00")  # prev only -> lost in cur
    a["B3"] = f.account("B3")
    f.own(a["B3"], r1, date(2020, 1, 1), date(2025, 12, 31))
    f.own(a["B3"], r3, date(2026, 1, 1), reason="transfer")
    f.order(a["B3"], date(2025, 3, 1), "200.00")  # prev, credited to R1, no gp
    f.order(a["B3"], date(2026, 2, 1), "50.00")  # cur, credited to R3 (owner that day)
    a["B4"] = f.account("B4", owner=r1)  # never ordered
    # R2 the hunter opens N1 (then hands it to R1) and N2; R1 (hunting in 2025) opens N4.
    a["N1"] = f.account("N1")
    f.own(a["N1"], r2, date(2025, 9, 1), date(2025, 12, 31))
    f.own(a["N1"], r1, date(2026, 1, 1), reason="hunter_to_am")
    f.order(a["N1"], date(2025, 9, 10), "1000.00", gp="300.00", rep=r2, kind="new")
    f.order(a["N1"], date(2026, 3, 1), "800.00", gp="200.00")  # credited to R1, not the hunter
    a["N2"] = f.account("N2")
    f.own(a["N2"], r2, date(2024, 9, 1))
    f.order(a["N2"], date(2024, 10, 1), "300.00", gp="100.00", kind="new")  # prev, credited to R2
    a["N3"] = f.account("N3", owner=r3)
    f.order(a["N3"], date(2023, 1, 1), "100.00", gp="10.00")  # first line long ago: never new
    a["N4"] = f.account("N4")
    f.own(a["N4"], r1, date(2025, 8, 1))
    f.order(a["N4"], date(2025, 8, 1), "100.00", gp="40.00", rep=r1, kind="new")
    return a
