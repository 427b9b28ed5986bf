"""The recipient score (hand-worked), performance with shrinkage, history with the account,
role fit, delegation and the CLI."""

import json
import statistics
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from bookwise.accounts.models import Ownership
from bookwise.transfers.performance import credited_revenue
from bookwise.transfers.recommend import recommend
from bookwise.transfers.scoring import (
    Estimate,
    Fit,
    History,
    RepFacts,
    history_part,
    score,
    shrink,
    spread_of,
)
from tests import factories
from tests.transfers.helpers import book

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 1)


def est(value: float) -> Estimate:
    return Estimate(value, None, 0.0, 5.0, value, 0.25)


def facts(nrr=0.5, sales=0.5, comm=None, flex=None, points="0", capacity=100, rating=3.0):
    return RepFacts(1, est(nrr), est(sales), comm, flex, Decimal(points), capacity, rating)


@pytest.mark.parametrize(
    ("f", "fit", "history", "added", "total"),
    [
        # team figures, unrated (team average 3): 12.5 + 5 + 6 (territory) + 0 + 14.25 (95 % headroom)
        (facts(), Fit(True, False, False), History(), "5", 37.75),
        # 25 + 10 + 15 + 35 x (0.3 owned + 0.5 x 3/(3+3)) = 19.25 + 15
        (facts(1, 1, 5, 5), Fit(True, True, True), History(owned="primary", deals=3), "0", 84.25),
        (facts(0, 0, 1, 1, points="95"), Fit(False, False, False), History(), "5", 0.0),
        # unrated skills count the team's average rating (4): (4 + 4 - 2) / 8 = 0.75 -> 7.5
        (facts(rating=4.0), Fit(False, False, False), History(), "0", 12.5 + 7.5 + 15),
    ],
)
def test_score_formula(f, fit, history, added, total):
    s = score(f, fit, Decimal(added), history)
    assert s.total == pytest.approx(total)
    assert sum(s.parts.values()) == pytest.approx(s.total, abs=0.02)


def test_history_part_hand_worked():
    """co-covered (0.5), e = 2 deals + 2 family deals / 2 + 4 activity days / 4 + 8 family days / 8
    = 5 -> 5/8; relationships 3 -> 3/6: 0.3 x 0.5 + 0.5 x 0.625 + 0.2 x 0.5 = 0.5625."""
    h = History(
        owned="secondary", deals=2, family_deals=2, activity_days=4, family_activity_days=8, relationships=3
    )
    assert history_part(h) == pytest.approx(0.5625)
    assert history_part(History()) == 0


def test_shrinkage_hand_worked():
    """own 0.8 on 3 accounts, team 0.6, prior 5: (3 x 0.8 + 5 x 0.6) / 8 = 0.675; the rep's share
    3/8; uncertainty 0.2 / sqrt(8). No evidence: the team's figure, uncertainty 0.2 / sqrt(5)."""
    e = shrink(0.8, 3, 0.6, 5, 0.2)
    assert e.value == pytest.approx(0.675) and e.own_share == pytest.approx(0.375)
    assert e.uncertainty == pytest.approx(0.2 / 8**0.5)
    none = shrink(None, 0, 0.6, 5, 0.2)
    assert none.value == 0.6 and none.own is None and none.uncertainty == pytest.approx(0.2 / 5**0.5)
    assert spread_of([0.4, 0.6, 0.8]) == pytest.approx(0.2) and spread_of([0.4]) == 0.25


@pytest.fixture
def books(org):
    """ACME (R1's, account manager) and two South books. Anchor: the latest order, 2026-05-01;
    window 2025-05-02..2026-05-01 (12.0 months for everyone, hired 2020)."""
    account = book(org)  # 1,200 on 2026-01-10, credited to R1
    s3 = factories.account("S3", owner=org["R3"], territory=org["R3"].territory)
    factories.order(s3, date(2025, 1, 10), "1000.00")
    factories.order(s3, date(2026, 1, 10), "1500.00")
    s4 = factories.account("S4", owner=org["R4"], territory=org["R4"].territory)
    factories.order(s4, date(2025, 1, 10), "1000.00")
    factories.order(s4, date(2026, 5, 1), "500.00")
    return account


def test_performance_is_shrunk_toward_the_team_hand_worked(org, books):
    """NRR part: R3 1500/1000 -> 1.0 on 1 account, R4 500/1000 -> 1/3; team pooled 2000/2000 = 1.0
    -> 2/3; R3 (1 + 5 x 2/3) / 6 = 0.722222, R4 (1/3 + 10/3) / 6 = 0.611111.
    Sales part: credited R1 1200, R2 0, R3 1500, R4 500 over 12 months each; team rate
    3200/48 = 66.67 a month; R3 125 -> 125/191.67 = 0.652174 -> (12 x 0.652174 + 6 x 0.5) / 18
    = 0.601449; R4 41.67 -> 0.384615 -> 0.423077."""
    data = recommend(account=books, user=org["D1"].user, day=DAY)
    assert data["performance_as_of"] == "2026-05-01"
    rows = {c["rep_id"]: c for c in data["candidates"]}
    assert rows["R3"]["details"]["nrr_estimate"] == pytest.approx(0.722222, abs=1e-4)
    assert rows["R4"]["details"]["nrr_estimate"] == pytest.approx(0.611111, abs=1e-4)
    assert rows["R3"]["details"]["sales_estimate"] == pytest.approx(0.601449, abs=1e-4)
    assert rows["R4"]["details"]["sales_estimate"] == pytest.approx(0.423077, abs=1e-4)
    assert rows["R3"]["parts"]["performance"] == pytest.approx(25 * (0.722222 + 0.601449) / 2, abs=0.01)
    # uncertainty: spreads of the own figures; NRR sqrt(2/9) ... over sqrt(1 + 5), sales over sqrt(18)
    nrr_sd = statistics.stdev([1.0, 1 / 3])
    sales_sd = statistics.stdev([100 / 166.6667, 0.0, 125 / 191.6667, 41.6667 / 108.3333])
    expected = 25 * ((nrr_sd / 6**0.5) ** 2 + (sales_sd / 18**0.5) ** 2) ** 0.5 / 2
    assert rows["R3"]["performance_uncertainty"] == pytest.approx(expected, abs=0.01)


def test_a_rep_who_sold_to_the_account_ranks_above_one_who_did_not(org, books):
    """R4 sold the account 3 deals, R3 never did: 35 x 0.5 x 3/6 = 8.75 points of history."""
    for _ in range(3):
        factories.opportunity(books, stage="won", rep=org["R4"], close=date(2025, 3, 1))
    data = recommend(account=books, user=org["D1"].user, day=DAY)
    first = data["candidates"][0]
    assert (
        first["rep_id"] == "R4" and first["details"]["deals_won"] == 3 and first["parts"]["history"] == 8.75
    )


def test_prior_ownership_counts(org, books):
    Ownership.objects.filter(account=books).update(start_date=date(2024, 1, 1))
    Ownership.objects.create(account=books, rep=org["R3"], role="primary", start_date=date(2020, 1, 1),
                             end_date=date(2023, 12, 31))  # fmt: skip
    rows = {c["rep_id"]: c for c in recommend(account=books, user=org["D1"].user, day=DAY)["candidates"]}
    assert rows["R3"]["details"]["owned_before"] == "primary" and rows["R3"]["parts"]["history"] == 10.5


def test_hunters_are_not_offered_an_account_manager_book_unless_no_manager_fits(org, books):
    data = recommend(account=books, user=org["D1"].user, day=DAY)
    assert data["book_role"] == "account_manager" and "R2" not in [c["rep_id"] for c in data["candidates"]]
    assert {e["rep_id"]: e["reason"] for e in data["excluded"]}["R2"] == "role"
    for key in ("R3", "R4"):
        org[key].capacity = 1
        org[key].save()
    data = recommend(account=books, user=org["D1"].user, day=DAY)
    assert [c["rep_id"] for c in data["candidates"]] == ["R2"]
    assert "no account manager has room" in data["candidates"][0]["role_fit"]


def test_a_new_account_may_go_to_a_hunter(org):
    new = factories.account("NEW", territory=org["R2"].territory)
    factories.order(new, date(2026, 5, 1), "100.00")
    data = recommend(account=new, user=org["D1"].user, day=DAY)
    assert data["book_role"] == "any" and "R2" in [c["rep_id"] for c in data["candidates"]]


def test_delegation_goes_to_a_qualified_colleague_of_the_same_team(org, books):
    """R3 (South) is best (owned ACME before) but full; their smallest account goes to R4 (same
    team, South), not to R1 (North) although R1 has more room."""
    Ownership.objects.create(account=books, rep=org["R3"], role="secondary", start_date=date(2020, 1, 1),
                             end_date=date(2023, 12, 31))  # fmt: skip
    for _ in range(6):
        factories.opportunity(books, stage="won", rep=org["R3"], close=date(2025, 3, 1))
    org["R3"].capacity = 5
    org["R3"].save()
    tiny = factories.account("TINY", owner=org["R3"], territory=org["R3"].territory)
    data = recommend(account=books, user=org["D1"].user, day=DAY)
    assert {e["rep_id"]: e["reason"] for e in data["excluded"]}["R3"] == "over_capacity"
    move = next(m for m in data["delegation"]["accounts"] if m["account_id"] == tiny.external_id)
    assert move["to"] == "R4" and "same team or territory" in move["why"] and move["score"] > 0


def test_no_two_candidates_tie_on_a_default(org, books):
    data = recommend(account=books, user=org["D1"].user, day=DAY)
    exact = [c["score_exact"] for c in data["candidates"]]
    assert len(exact) == len(set(exact))


def test_cli_recommend_json(org):
    book(org)
    out = StringIO()
    call_command("transfer", "recommend", "ACME", "--date", "2026-06-01", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["account_id"] == "ACME"
    assert {"rep_id", "score", "parts", "performance_uncertainty", "role_fit"} <= set(data["candidates"][0])


def test_cli_unknown_account_is_an_error(org):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no account"):
        call_command("transfer", "recommend", "NOPE")


def test_credited_revenue_goes_to_the_owner_on_the_line_date(org):
    """A: R1 until 2026-01-31, R3 from 2026-02-01; B: R1 until 2019, R4 since 2020 (the whole
    window). Lines without a rep go to the primary owner on their date, a line's own rep wins:
    R1 100, R3 200, R2 50 (their own line on A), R4 400; nothing twice (the first reading joined
    every ownership of the account to every line, crediting A's lines to both owners)."""
    a, b = factories.account("CA"), factories.account("CB")
    factories.own(a, org["R1"], date(2020, 1, 1), date(2026, 1, 31))
    factories.own(a, org["R3"], date(2026, 2, 1))
    factories.own(b, org["R1"], date(2015, 1, 1), date(2019, 12, 31))
    factories.own(b, org["R4"], date(2020, 1, 1))
    factories.order(a, date(2025, 10, 1), "100.00")
    factories.order(a, date(2026, 3, 1), "200.00")
    factories.order(a, date(2026, 4, 1), "50.00", rep=org["R2"])
    factories.order(b, date(2026, 5, 1), "400.00")
    factories.order(b, date(2025, 6, 1), "999.00")  # the day before the window
    reps = [org[r].pk for r in ("R1", "R2", "R3", "R4")]
    got = credited_revenue(reps, date(2025, 6, 2), date(2026, 6, 1))
    assert got == {org["R1"].pk: Decimal("100.00"), org["R2"].pk: Decimal("50.00"),
                   org["R3"].pk: Decimal("200.00"), org["R4"].pk: Decimal("400.00")}  # fmt: skip
