from datetime import date

import pytest

from bookwise.transfers.tracking import tracking_report
from tests import factories

pytestmark = pytest.mark.django_db
T = date(2025, 1, 1)


def scenario(org):
    acme = factories.account("ACME")
    factories.own(acme, org["R1"], date(2020, 1, 1), date(2024, 12, 31))
    factories.own(acme, org["R2"], T, reason="rebalance")
    factories.order(acme, date(2024, 6, 1), "1000.00")
    factories.order(acme, date(2025, 3, 1), "500.00")
    factories.order(acme, date(2025, 10, 1), "700.00")
    imported = factories.account("OLD")  # an owner change by import is not a transfer
    factories.own(imported, org["R1"], date(2020, 1, 1), date(2024, 12, 31))
    factories.own(imported, org["R3"], T)
    factories.order(imported, date(2024, 6, 1), "50.00")
    other = factories.account("OTHER", owner=org["R3"])
    factories.order(other, date(2024, 6, 1), "300.00")


def test_retention_and_revenue_change_vs_non_transferred(org):
    scenario(org)
    report = tracking_report(user=org["D1"].user, group="rep", day=date(2026, 6, 1))
    assert report["rows"] == [
        {
            "group": "R2",
            "transfers": 1,
            "retained_6": 1.0,
            "retained_12": 1.0,
            "revenue_change": "200.00",
            "avg_revenue_change": "200.00",
            # OLD and OTHER were not transferred (OLD changed owner by import) and both lost revenue
            "comparison_retained_6": 0.0,
            "comparison_retained_12": 0.0,
            "comparison_avg_revenue_change": "-175.00",
        }
    ]


def test_pending_windows_are_null_and_groups_by_reason(org):
    scenario(org)
    report = tracking_report(user=org["D1"].user, group="reason", day=date(2025, 8, 1))
    row = report["rows"][0]
    assert row["group"] == "rebalance" and row["retained_6"] == 1.0
    assert row["retained_12"] is None and row["revenue_change"] is None


def test_scope_hides_other_teams_transfers(org):
    scenario(org)
    assert tracking_report(user=org["M2"].user, group="rep", day=date(2026, 6, 1))["rows"] == []
