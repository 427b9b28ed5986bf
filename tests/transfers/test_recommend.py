import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from bookwise.transfers.recommend import recommend
from bookwise.transfers.scoring import Fit, RepFacts, score
from tests import factories
from tests.transfers.helpers import book

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("nrr", "growth", "comm", "flex", "fit", "points", "capacity", "added", "total"),
    [
        # unknown performance and skills count as neutral (0.5): 15 + 10 + fit + headroom
        (None, None, None, None, Fit(True, False, False), "0", 100, "5", 56.0),
        (Decimal("1.5"), Decimal("1"), 5, 5, Fit(True, True, True), "0", 100, "0", 100.0),
        (Decimal("0"), Decimal("-1"), 1, 1, Fit(False, False, False), "95", 100, "5", 0.0),
        (Decimal("0.75"), Decimal("0"), 3, 4, Fit(False, True, False), "50", 100, "0", 15 + 12.5 + 9 + 10),
    ],
)
def test_score_formula(nrr, growth, comm, flex, fit, points, capacity, added, total):
    facts = RepFacts(1, nrr, growth, comm, flex, Decimal(points), capacity)
    s = score(facts, fit, Decimal(added))
    assert s.total == pytest.approx(total)
    assert sum(s.parts.values()) == pytest.approx(s.total)


def test_ranking_parts_and_exclusions(org):
    account = book(org)  # A tier (only revenue), owned by R1, North
    org["R3"].end_date = date(2026, 12, 31)
    org["R3"].save()
    org["R4"].capacity = 1
    org["R4"].save()
    factories.account("SMALL", owner=org["R4"])
    data = recommend(account=account, user=org["D1"].user, day=DAY)
    assert data["account_id"] == "ACME" and data["tier"] == "A" and data["current_owner"] == "R1"
    assert [c["rep_id"] for c in data["candidates"]] == ["R2"]
    best = data["candidates"][0]
    assert best["score"] == 56.0
    assert best["parts"] == {"performance": 15.0, "skills": 10.0, "fit": 12.0, "headroom": 19.0}
    assert {(e["rep_id"], e["reason"]) for e in data["excluded"]} == {
        ("R3", "leaving"),
        ("R4", "over_capacity"),
    }


def test_performance_uses_nrr_and_gp_growth_of_the_book(org):
    account = book(org)
    mine = factories.account("MINE", owner=org["R2"])
    factories.order(mine, date(2025, 1, 10), "100.00", gp="10.00")
    factories.order(mine, date(2026, 1, 10), "150.00", gp="20.00")
    data = recommend(account=account, user=org["M1"].user, day=DAY)
    details = data["candidates"][0]["details"]
    assert details["nrr"] == 1.5 and details["gp_growth_rate"] == 1.0
    assert data["candidates"][0]["parts"]["performance"] == 30.0


def test_delegation_when_best_candidate_is_full(org):
    account = book(org)
    org["R2"].capacity = 5
    org["R2"].communication = org["R2"].flexibility = 5  # 15 + 20 + 12 + 0 beats R3/R4's 15 + 10 + 0 + 19
    org["R2"].save()
    factories.account("TINY", owner=org["R2"])
    data = recommend(account=account, user=org["D1"].user, day=DAY)
    assert data["excluded"][-1] == {"rep_id": "R2", "name": org["R2"].name, "reason": "over_capacity"}
    assert data["delegation"]["rep_id"] == "R2"
    assert data["delegation"]["accounts"][0]["account_id"] == "TINY"
    assert data["delegation"]["accounts"][0]["to"] in {"R3", "R4"}


def test_cli_recommend_json(org):
    book(org)
    out = StringIO()
    call_command("transfer", "recommend", "ACME", "--date", "2026-06-01", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["account_id"] == "ACME"
    assert [c["rep_id"] for c in data["candidates"]][0] in {"R2", "R3", "R4"}
    assert {"rep_id", "score", "parts"} <= set(data["candidates"][0])


def test_cli_unknown_account_is_an_error(org):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no account"):
        call_command("transfer", "recommend", "NOPE")
