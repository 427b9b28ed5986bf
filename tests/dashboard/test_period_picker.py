"""The dashboard's period picker (units; the browser walk is tests/browser/test_period_flow.py):
a book with accounts but no order line says so; a year or a custom period shows that
period's overall figures (not the trend's last quarter); a bad as-of date is named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tests import factories as f


@pytest.mark.django_db
def test_accounts_without_order_lines_get_a_clear_empty_state(org, admin_client):
    f.account("A1", owner=org["R1"], territory=f.territory("North", "East"))
    page = admin_client.get("/")
    assert page.context["h"].no_lines
    assert "No order lines in the book yet" in page.content.decode()


@pytest.mark.django_db
def test_a_year_and_a_custom_range_show_their_own_figures(org, admin_client):
    north = f.territory("North", "East")
    a1 = f.account("A1", owner=org["R1"], territory=north)
    a2 = f.account("A2", owner=org["R1"], territory=north)
    f.order(a1, date(2024, 2, 1), "100")
    f.order(a2, date(2024, 11, 1), "50")
    f.order(a1, date(2025, 12, 1), "80")  # 2025 against 2024: A1 retained 80 of 100, A2 lost
    h = admin_client.get("/?period=2025").context["h"]
    assert h.period.label == "2025" and h.trend.quarters[-1].label == "2025-Q4"
    assert (h.overall.base_revenue, h.overall.retained_revenue) == (D("150.00"), D("80.00"))
    assert h.overall.lost_accounts == 1 and [r.account.external_id for r in h.lost] == ["A2"]
    # a whole-month custom range: 2025-07-01..2025-12-31 against 2025-01-01..2025-06-30
    half = admin_client.get("/?period=custom&start=2025-07-01&end=2025-12-31").context["h"]
    assert half.overall.base_accounts == 0 and half.overall.nrr is None
    bad = admin_client.get("/?as_of=2031-01-01")
    assert "As of: 2031-01-01 is after today" in bad.content.decode()
    assert bad.context["h"].today == date(2025, 12, 31)  # the data's default: its history stops in 2025-Q4
