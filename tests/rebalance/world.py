"""A small team to rebalance: M1's account managers R1 (8 accounts) and R5 (none), hunter R2,
all of capacity 10; the rest of factories.org() around them."""

from __future__ import annotations

from datetime import date

from bookwise.people.models import Rep
from tests import factories


def team(org: dict[str, Rep]) -> dict[str, object]:
    for key in ("R1", "R2"):
        org[key].capacity = 10
        org[key].save(update_fields=["capacity"])
    r5 = factories.rep("R5", manager=org["M1"], territory=org["R1"].territory, capacity=10, login=True)
    accounts = [
        factories.account(
            f"AC-{i:02d}", owner=org["R1"], territory=org["R1"].territory, since=date(2020, 1, 1)
        )
        for i in range(8)
    ]
    return {**org, "R5": r5, "accounts": accounts}
