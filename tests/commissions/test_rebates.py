"""Customer rebates against hand-worked examples of COMMISSIONS.md "Rebates": the tier
reached is the highest `from` <= the year's revenue (amount), the rebate its rate x the
whole year's revenue; year to date: tier reached, accrual, next tier, revenue still needed."""

from datetime import date
from decimal import Decimal as D

import pytest

from bookwise.commissions.selectors import account_rebate_status, rebate_report
from bookwise.commissions.services import plan_file_load
from tests import factories as f

pytestmark = pytest.mark.django_db

PROGRAMME = (
    "rebates:\n  - {name: Volume 2026, year: 2026,"
    " tiers: [{from: 100000, rate: 0.02}, {from: 250000, rate: 0.03}]}\n"
)


def status(acc, day):
    s = account_rebate_status(account=acc, day=day)
    return (s.revenue, s.tier, s.rate, s.accrual, s.next_tier, s.needed)


def test_year_to_date_up_to_the_top_tier_and_back_below_it():
    plan_file_load(text=PROGRAMME, filename="r.yaml")
    acc = f.account("A1")
    f.order(acc, date(2025, 12, 31), "500000.00")  # another year
    f.order(acc, date(2026, 1, 15), "150000.00")
    f.order(acc, date(2026, 6, 30), "100000.00")  # exactly 250000 on 2026-06-30
    f.order(acc, date(2026, 9, 1), "-0.01")  # a credit note: back below 250000
    f.order(acc, date(2026, 12, 31), "10000.25")
    # nothing yet: no tier, the first tier is 100000 away
    assert status(acc, date(2026, 1, 14)) == (D("0.00"), None, D(0), D("0.00"), D("100000"), D("100000"))
    # 150000: 2 % x 150000 = 3000 so far; 250000 - 150000 still needed for 3 %
    assert status(acc, date(2026, 6, 29)) == (
        D("150000.00"), D("100000"), D("0.02"), D("3000.00"), D("250000"), D("100000.00"),
    )  # fmt: skip
    # exactly at the boundary: the 3 % tier, retroactive to the first dollar; no next tier
    assert status(acc, date(2026, 6, 30)) == (
        D("250000.00"), D("250000"), D("0.03"), D("7500.00"), None, None,
    )  # fmt: skip
    # one cent below it again: 2 % x 249999.99 = 4999.9998 -> 5000.00; 0.01 needed
    assert status(acc, date(2026, 9, 1)) == (
        D("249999.99"), D("100000"), D("0.02"), D("5000.00"), D("250000"), D("0.01"),
    )  # fmt: skip
    # the year: 260000.24 x 3 % = 7800.0072 -> 7800.01
    (row,) = rebate_report(year=2026)
    assert (row["account_id"], row["revenue"], row["tier"], row["rate"], row["rebate"]) == (
        "A1", D("260000.24"), D("250000"), D("0.03"), D("7800.01"),
    )  # fmt: skip


def test_year_end_report_rounds_half_up_and_lists_every_account_that_ordered():
    plan_file_load(text=PROGRAMME, filename="r.yaml")
    a1, a2, a3 = f.account("A1"), f.account("A2"), f.account("A3")
    f.order(a1, date(2026, 3, 1), "100000.25")  # 2 % x 100000.25 = 2000.005 -> 2000.01
    f.order(a2, date(2026, 3, 1), "100.00")
    f.order(a2, date(2026, 4, 1), "-100.00")  # ordered, nets to 0: listed, no tier
    f.order(a3, date(2025, 3, 1), "900000.00")  # did not order in 2026: not listed
    rows = [(r["account_id"], r["revenue"], r["tier"], r["rebate"]) for r in rebate_report(year=2026)]
    assert rows == [("A1", D("100000.25"), D("100000"), D("2000.01")), ("A2", D("0.00"), None, D("0.00"))]
    assert rebate_report(year=2027) == []  # no programme that year
