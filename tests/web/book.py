"""A small book on top of the `org` fixture, shared by the page and API tests.

R1 owns A1 (R2 secondary) and A5 (taken over from R3 on 2025-06-01); R2 owns A2; R3 owns
A3; R4 owns A4 (lost); A6 has no owner. Only directors and admins see A6."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from tests import factories as f


def build(org: dict) -> dict:
    north, south = f.territory("North", "East"), f.territory("South", "West")
    a1 = f.account(
        "A1", owner=org["R1"], territory=north, industry="Retail", potential="100000.00", name="Acme"
    )
    f.own(a1, org["R2"], date(2021, 1, 1), role="secondary")
    a2 = f.account("A2", owner=org["R2"], territory=north, name="Beta Tools", potential="5000.00")
    a3 = f.account("A3", owner=org["R3"], territory=south, name="Gamma", parent=a1)
    a4 = f.account(
        "A4", owner=org["R4"], territory=south, name="Delta", status="lost",
        lost_date=date(2025, 3, 1), lost_reason="price",
    )  # fmt: skip
    a5 = f.account("A5", territory=north, name="Epsilon")
    f.own(a5, org["R3"], date(2020, 1, 1), date(2025, 5, 31))
    f.own(a5, org["R1"], date(2025, 6, 1), reason="transfer")
    a6 = f.account("A6", name="Orphan")
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    f.order(a1, this_month, "100.50", gp="20.00", product_line="Service")
    f.order(a1, this_month, "-10.25", product_line="Service")
    f.order(a1, last_month, "1000.00", rep=org["R2"], kind="new")
    f.order(a1, date(2015, 1, 1), "999.00")  # far outside the 36-month chart
    f.opportunity(a1, stage="proposal", amount="5000.00", rep=org["R1"])
    f.opportunity(a1, stage="won", amount="7000.00")
    return {"A1": a1, "A2": a2, "A3": a3, "A4": a4, "A5": a5, "A6": a6, "this_month": this_month,
            "last_month": last_month}  # fmt: skip
