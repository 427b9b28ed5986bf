"""The account detail page: facts, owner history (current highlighted), the 36-month
revenue chart with zero months, opportunities, order lines, and a constant query count."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest

from bookwise.accounts.views import CHART_MONTHS, revenue_months
from tests import factories as f

pytestmark = pytest.mark.django_db


def chart_spec(html: str) -> dict:
    match = re.search(r'<script id="chart-\d+-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no chart on the page"
    return json.loads(match.group(1))


def test_facts_and_owner_history(book, org, login):
    html = login(org["D1"]).get("/accounts/A5/").content.decode()
    assert "Epsilon" in html and "North" in html and "East" in html
    rows = re.findall(r"<tr( class=\"current\")?>\s*<td>(\w+)", html)
    assert rows[:2] == [(' class="current"', "Primary"), ("", "Primary")]  # newest first, current marked
    assert "Transfer" in html and "2025-05-31" in html and "2025-06-01" in html


def test_lost_account_shows_date_reason_and_cause(book, org, login):
    html = login(org["M2"]).get("/accounts/A4/").content.decode()
    assert "2025-03-01" in html and "Price" in html and "<dd>Avoidable</dd>" in html


def test_parent_and_subsidiaries_respect_scope(book, org, login):
    director = login(org["D1"]).get("/accounts/A1/").content.decode()
    assert 'href="/accounts/A3/"' in director  # Gamma is Acme's subsidiary
    rep = login(org["R1"]).get("/accounts/A1/").content.decode()
    assert 'href="/accounts/A3/"' not in rep  # R1 may not see Gamma
    manager = login(org["M2"]).get("/accounts/A3/").content.decode()
    assert "Acme" in manager and 'href="/accounts/A1/"' not in manager  # parent named, not linked


def test_chart_has_36_months_with_zero_months(book, org, login):
    spec = chart_spec(login(org["R1"]).get("/accounts/A1/").content.decode())
    x, y = spec["data"][0]["x"], spec["data"][0]["y"]
    assert len(x) == CHART_MONTHS == len(y)
    assert x[-1] == book["this_month"].strftime("%Y-%m")
    assert y[-1] == pytest.approx(90.25) and y[-2] == pytest.approx(1000.0)
    assert y[:-2] == [0.0] * 34


def test_revenue_months_is_exact_decimal(book):
    labels, values = revenue_months(book["A1"], book["this_month"])
    assert values[-1] == Decimal("90.25") and values[-2] == Decimal("1000.00")
    assert all(isinstance(v, Decimal) for v in values)
    assert labels[0] < labels[-1]


def test_revenue_months_spans_years_and_ends_this_month(book):
    labels, values = revenue_months(book["A6"], date(2026, 3, 31))
    assert labels[0] == "2023-04" and labels[-1] == "2026-03"
    assert values == [Decimal("0.00")] * CHART_MONTHS


def test_open_opportunities_and_order_lines(book, org, login):
    html = login(org["R1"]).get("/accounts/A1/").content.decode()
    assert "5,000.00" in html and "7,000.00" not in html  # won deal is not open
    assert "-10.25" in html and "1,000.00" in html and "Rep R2" in html


def test_order_lines_are_paginated(org, login):
    a = f.account("BIG", owner=org["R1"])
    for i in range(30):
        f.order(a, date(2026, 1, 1 + i % 28), "1.00", external_id=f"L{i:03d}")
    client = login(org["R1"])
    assert "Page 1 of 2" in client.get("/accounts/BIG/").content.decode()
    second = client.get("/accounts/BIG/?page=2").content.decode()
    assert len(re.findall(r"<td>L\d{3}</td>", second)) == 5


def test_empty_account_has_clear_empty_states(book, admin, login):
    html = login(admin).get("/accounts/A6/").content.decode()
    assert "Nobody has owned this account yet" in html
    assert "No order lines yet" in html and "No open opportunities" in html


def test_detail_query_count_is_constant(org, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = f.account("Q0", owner=org["R1"], territory=f.territory("North"))
    f.order(small, date(2025, 1, 1), "10.00")
    a = f.account("Q1", owner=org["R1"], territory=f.territory("North"))
    for i in range(40):
        f.order(a, date(2025, 1 + i % 12, 1), "10.00", rep=org["R2"])
        f.opportunity(a, rep=org["R1"])
    for i in range(10):
        f.account(f"S{i}", owner=org["R1"], parent=a)
    client = login(org["M1"])
    client.get("/accounts/Q1/")  # warm the book-wide caches (tiers, whitespace)
    counts = []
    for account in ("Q0", "Q1"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/accounts/{account}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]  # no query per line, opportunity or subsidiary
    # 30 before the relationship map and the agreements panel, one query each; the book's
    # tier fingerprint is still read twice (4 queries each), left for a request-wide memo
    with django_assert_max_num_queries(32):
        client.get("/accounts/Q1/")


def test_detail_shows_wallet_rebate_and_handover_panels(org, login):
    a = f.account("W1", owner=org["R1"], industry="Metal", potential="50000.00")
    f.order(a, date.today(), "1000.00", product_line="Pumps")
    page = login(org["R1"]).get("/accounts/W1/").content.decode()
    assert "Share of wallet" in page and "49,000.00" in page  # gap = 50,000 - 1,000
    assert "No rebate programme this year." in page
    assert "Handover" in page and "/plans/account/W1/" in page
    assert "Transfer this account" not in page  # a rep does not transfer their own account
    manager_page = login(org["M1"]).get("/accounts/W1/").content.decode()
    assert "Transfer this account" in manager_page
