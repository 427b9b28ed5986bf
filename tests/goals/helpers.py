"""The hand-worked book of docs/goals.md: last full year Y against Y-1 (and Y-2).

Territory North (region East): M1 (no accounts), R1 (A1, A2), R2 (A3).
Territory South (region West): R3 (A4), R4 (A5). Every order on 15 March.

    account  Y-2          Y-1           Y
    A1 (R1)  800 (gp 200) 1000 (gp 300) 1200 (gp 400)
    A2 (R1)  500 (gp 100)  500 (gp 100)    -            lost in Y
    A3 (R2)     -             -          300 (gp 90)    new in Y
    A4 (R3) 2000 (gp 500) 2000 (gp 500) 1500 (gp 450)
    A5 (R4)     -         1000 (gp 200) 1000 (gp 200)   new in Y-1
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from tests import factories

Y = timezone.localdate().year - 1
PERIOD = str(Y)
YEAR_END = date(Y, 12, 31)

BOOK = {
    "A1": ("R1", [(Y - 2, "800", "200"), (Y - 1, "1000", "300"), (Y, "1200", "400")]),
    "A2": ("R1", [(Y - 2, "500", "100"), (Y - 1, "500", "100")]),
    "A3": ("R2", [(Y, "300", "90")]),
    "A4": ("R3", [(Y - 2, "2000", "500"), (Y - 1, "2000", "500"), (Y, "1500", "450")]),
    "A5": ("R4", [(Y - 1, "1000", "200"), (Y, "1000", "200")]),
}


def book(org) -> dict:
    accounts = {}
    for ext, (owner, orders) in BOOK.items():
        rep = org[owner]
        a = factories.account(ext, owner=rep, territory=rep.territory, since=date(Y - 3, 1, 1))
        for year, amount, gp in orders:
            factories.order(a, date(year, 3, 15), amount, gp=gp)
        accounts[ext] = a
    return accounts
