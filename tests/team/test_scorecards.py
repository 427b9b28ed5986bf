from decimal import Decimal

import pytest

from bookwise.team.selectors.common import windows_at
from bookwise.team.selectors.facts import collect_facts
from bookwise.team.selectors.scorecards import build_scorecards, rep_scorecard, scorecard_list
from tests import factories as f
from tests.team.scenario import D, build

pytestmark = pytest.mark.django_db


def cards_by_id(org, reps, **kw):
    return {c.rep.external_id: c for c in build_scorecards([org[r] for r in reps], D, **kw)}


def test_hunter_new_accounts_and_their_gross_profit(org):
    build(org)
    card = cards_by_id(org, ["R2"])["R2"]
    assert [m.key for m in card.metrics] == ["new_accounts", "new_account_gp"]
    # N1 opened 2025-09-10 (cur): gp 300 + 200 after hand-over; N2 opened 2024-10-01 (prev): gp 100.
    assert card.metric("new_accounts").value == 1 and card.metric("new_accounts").previous == 1
    assert card.metric("new_account_gp").value == Decimal("500.00")
    assert card.metric("new_account_gp").previous == Decimal("100.00")


def test_account_manager_growth_orders_and_turnover(org):
    build(org)
    card = cards_by_id(org, ["R1"])["R1"]
    assert [m.key for m in card.metrics] == ["gp_growth", "orders_taken", "turnover"]
    # Book at d: B1 (+100), B2 (-100), B4 (0), N1 (+500), N4 (+40).
    assert card.metric("gp_growth").value == Decimal("540.00")
    # Book at 2025-06-30: B1 300 + B2 100 + B3 0 + B4 0 against nothing in prev2.
    assert card.metric("gp_growth").previous == Decimal("400.00")
    # Credited in cur: B1 2025-12-01, N1 2026-03-01 (owner), N4 (line rep); B3 2026-02-01 went to R3.
    assert card.metric("orders_taken").value == 3
    assert card.metric("orders_taken").previous == 3
    # Owned at 2025-07-01: B1, B2, B3, B4; lost: B2 (revenue in prev, none in cur).
    assert card.metric("turnover").value == Decimal("0.25")
    assert card.metric("turnover").previous == Decimal(0)
    assert card.metric("turnover").lower_is_better


def test_rep_who_changed_role_is_judged_on_the_current_role_only(org):
    build(org)
    # R1 hunted N4 in 2025 but is an account manager now: no new-logo metric on the card,
    # while the N4 order still counts as an order taken.
    card = cards_by_id(org, ["R1"])["R1"]
    assert "new_accounts" not in [m.key for m in card.metrics]
    both = cards_by_id(org, ["R1"], both_roles=True)["R1"]
    assert both.metric("new_accounts").value == 1


def test_hunter_is_not_credited_with_orders_of_handed_over_accounts(org):
    build(org)
    facts = collect_facts(windows_at(D))
    assert facts.credited[org["R2"].id] == [1, 1]  # N1 first line only; N2 in prev
    assert facts.credited[org["R3"].id][0] == 1  # B3 after its transfer


def test_sales_manager_team_growth_and_retention(org):
    build(org)
    card = cards_by_id(org, ["M1"])["M1"]
    assert card.metric("team_gp_growth").value == Decimal("440.00")  # R1 540, R2 (N2) -100
    # Base at 2025-07-01: B1, B2, B3 (R1) and N2 (R2); retained B1 1200 and B3 50.
    assert card.metric("team_logo_retention").value == Decimal("0.5")
    assert card.metric("team_nrr").value == Decimal("0.625")
    assert card.metric("team_logo_retention").previous is None  # empty base: null, never 0


def test_medians_are_over_peers_with_the_same_manager_and_role(org):
    build(org)
    cards = cards_by_id(org, ["R1", "R3", "R4"])
    assert cards["R1"].metric("orders_taken").median == Decimal(3)  # alone under M1
    # R3 (1 order) and R4 (0) under M2: median 0.5.
    assert cards["R3"].metric("orders_taken").median == Decimal("0.5")


def test_whole_org_and_subset_computations_agree(org):
    build(org)
    everyone = cards_by_id(org, list(org), everyone=True)
    subset = cards_by_id(org, ["R1", "M1", "R2"])
    for key in ("R1", "R2", "M1"):
        assert [m.value for m in everyone[key].metrics] == [m.value for m in subset[key].metrics]


def test_scorecard_list_is_scoped(org):
    build(org)
    assert [c.rep.external_id for c in scorecard_list(user=org["R1"].user, day=D)] == ["R1"]
    assert {c.rep.external_id for c in scorecard_list(user=org["M1"].user, day=D)} == {"M1", "R1", "R2"}
    assert len(scorecard_list(user=f.admin_user(), day=D)) == 7


def test_a_rep_never_gets_a_peers_scorecard(org):
    from bookwise.core.errors import NotFound

    with pytest.raises(NotFound):
        rep_scorecard(user=org["R1"].user, rep_id="R2", day=D)
    assert rep_scorecard(user=org["M1"].user, rep_id="R2", day=D).rep == org["R2"]


def test_sales_manager_plan_coverage_from_the_plans_app(org):
    from bookwise.plans.models import AccountPlan

    accounts = build(org)
    # Tier A at d (T12M): N1 1800 and B1 1200, both in R1's book; N1 has an approved 2026 plan.
    AccountPlan.objects.create(
        account=accounts["N1"], year=2026, status="approved", cadence="monthly", version=1
    )
    card = cards_by_id(org, ["M1"])["M1"]
    assert card.metric("plan_coverage").value == Decimal("0.5")
    # At 2025-06-30 B1, B2 and N2 were tier A in the team's book, none with a 2025 plan.
    assert card.metric("plan_coverage").previous == Decimal(0)


def test_credit_fast_path_agrees_with_owners_on_line_by_line(org):
    """Credited counts (grouped fast path + join for changed accounts) equal a brute-force
    count through owners_on for every line: gaps, hand-overs, unowned accounts, direct reps."""
    from collections import Counter
    from datetime import date, timedelta

    from bookwise.accounts.models import OrderLine
    from bookwise.accounts.selectors import owners_on

    r1, r2, r3 = org["R1"], org["R2"], org["R3"]
    steady = f.account("S1", owner=r1)
    gap = f.account("G1")
    f.own(gap, r2, date(2020, 1, 1), date(2025, 9, 30))
    f.own(gap, r3, date(2025, 11, 1))  # nobody in October 2025
    orphan = f.account("O1")
    swap = f.account("W1")
    f.own(swap, r3, date(2024, 1, 1), date(2024, 12, 31))
    f.own(swap, r1, date(2025, 1, 1))
    day = date(2024, 7, 1)
    while day <= D:
        for account in (steady, gap, orphan, swap):
            f.order(account, day, "10.00", gp="1.00")
        day += timedelta(days=23)
    f.order(steady, date(2026, 5, 5), "5.00", rep=r2)
    w = windows_at(D)
    expected: Counter = Counter()
    for line in OrderLine.objects.filter(order_date__range=(w.prev.start, D)):
        rep = line.rep_id or owners_on(line.order_date, [line.account_id]).get(line.account_id)
        if rep is not None:
            expected[(rep, 0 if line.order_date >= w.cur.start else 1)] += 1
    got = collect_facts(w).credited
    assert {(r, b): n for r, c in got.items() for b, n in enumerate(c) if n} == dict(expected)
    subset = collect_facts(w, {r3.id}).credited
    assert subset[r3.id] == got[r3.id]
