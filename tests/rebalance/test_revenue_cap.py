"""The cap on revenue moved (the trailing 12 months of the accounts that move), through the
API and the page (the command line's in test_command.py). World.py's team, where each of
R1's eight accounts has 1,000.00 of orders in the last 12 months: unlimited, the solver moves
two of them to R5."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bookwise.rebalance.models import RebalanceProposal
from tests import factories
from tests.rebalance.world import team

TODAY = timezone.localdate()


@pytest.fixture
def world(org):
    made = team(org)
    for account in made["accounts"]:
        factories.order(account, TODAY - timedelta(days=30), "1000.00")
    return made


def test_the_api_caps_the_revenue_moved(world, login):
    client = login(world["M1"])
    body = {
        "scope": "team:M1",
        "scenarios": [{}, {"max_revenue_moved": 1500}, {"max_revenue_moved": "999.99"}],
    }
    answer = client.post("/api/rebalance/proposals", body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    free, capped, none = answer.json()
    assert [len(p["moves"]) for p in (free, capped, none)] == [2, 1, 0]  # 2,000 / 1,000 / 0 moved
    assert capped["options"]["max_revenue_moved"] == 1500.0
    assert none["objective"] == none["nothing_objective"] > free["objective"]


def test_the_page_caps_the_revenue_moved_and_shows_it(world, login):
    client = login(world["M1"])
    form = {"scope": "team:M1", "s1_on": "on", "s1_tolerance": "10", "s1_max_revenue_moved": "1,500",
            "s1_keep_territory": "off", "s2_keep_territory": "off", "s3_keep_territory": "off"}  # fmt: skip
    answer = client.post("/rebalance/", form, follow=True)
    page = answer.content.decode()
    proposal = RebalanceProposal.objects.get()
    assert proposal.lines.count() == 1 and proposal.options["max_revenue_moved"] == 1500.0
    assert '<td class="num">1,000.00</td>' in page  # the revenue moved, as money, on the comparison


def test_the_api_refuses_a_negative_cap(world, login):
    client = login(world["M1"])
    body = {"scope": "team:M1", "scenarios": [{"max_revenue_moved": -1}]}
    answer = client.post("/api/rebalance/proposals", body, content_type="application/json")
    assert answer.status_code == 422 and answer.json()["message"] == "Most revenue moved: -1 is negative."
    assert answer.json()["extra"]["field"] == "max_revenue_moved"
    assert not RebalanceProposal.objects.exists()
