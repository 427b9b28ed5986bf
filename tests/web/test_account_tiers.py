"""The accounts list's tier column and tier filter (retention.selectors.account_tiers), the
per-process tier cache and its invalidation by a new pin or a new order line."""

from __future__ import annotations

import re

import pytest

from bookwise.retention.services import tier_pin
from tests import factories as f

pytestmark = pytest.mark.django_db


def listed(response) -> set[str]:
    return set(re.findall(r'<td><a href="/accounts/([A-Z][A-Z0-9]*)/">', response.content.decode()))


def test_tier_filter_and_column(book, org, login):
    client = login(org["D1"])
    assert listed(client.get("/accounts/?tier=A")) == {"A1"}  # the only account with T12M revenue
    assert listed(client.get("/accounts/?tier=C")) == {"A2", "A3", "A4", "A5", "A6"}
    assert listed(client.get("/accounts/?tier=B")) == set()
    html = client.get("/accounts/?q=A1").content.decode()
    assert re.search(r"<td>A</td>", html)


def test_tier_filter_stays_within_scope_and_other_filters(book, org, login):
    assert listed(login(org["M2"]).get("/accounts/?tier=A")) == set()
    assert listed(login(org["M1"]).get("/accounts/?tier=C&territory=North")) == {"A2", "A5"}


def test_detail_shows_tier_and_t12m(book, org, login):
    html = login(org["R1"]).get("/accounts/A1/").content.decode()
    assert "A · T12M 1,090.25" in html


def test_a_new_pin_and_a_new_order_refresh_the_cached_tiers(book, org, admin, login):
    client = login(admin)
    assert listed(client.get("/accounts/?tier=B")) == set()
    tier_pin(account=book["A2"], tier="B", actor=admin)
    assert listed(client.get("/accounts/?tier=B")) == {"A2"}
    assert "📌" in client.get("/accounts/?tier=B").content.decode()
    f.order(book["A3"], book["this_month"], "1000000.00")
    assert listed(client.get("/accounts/?tier=A")) == {"A3"}  # now A3 holds almost everything


def test_tier_filter_paginates(org, login):
    for i in range(60):
        f.account(f"T{i:03d}", owner=org["R1"])
    client = login(org["R1"])
    assert len(listed(client.get("/accounts/?tier=C"))) == 50
    assert len(listed(client.get("/accounts/?tier=C&page=2"))) == 10
