from datetime import date
from decimal import Decimal as D

import pytest

from bookwise.core.dates import custom_period, parse_period
from bookwise.core.errors import RuleViolation
from bookwise.retention.reports import lost_accounts, lost_totals, retention_report

from .helpers import book

P = parse_period("2026-Q1")


def _by_group(by, **kw):
    return {g.group: g for g in retention_report(period=P, by=by, **kw)}


@pytest.mark.django_db
def test_retention_by_territory_hand_worked(org):
    """North: B = A1..A4 (450), R = A1, A2; GRR (100+50+0+0)/450, NRR (150+50)/450;
    A4's credit note makes rev_P = -10 (lost); A5 is new; A6 nets 0 in P' (not in B)."""
    book(org)
    groups = _by_group("territory")
    north = groups["North"]
    assert (north.base_accounts, north.retained_accounts, north.lost_accounts, north.new_accounts) == (
        4,
        2,
        2,
        1,
    )
    assert north.base_revenue == D("450.00")
    assert north.retained_revenue == D("200.00")
    assert north.lost_revenue == D("150.00")
    assert north.period_revenue == D("290.00")  # 150+50+0-10+80+20
    assert north.logo_retention == D("0.5")
    assert north.grr == D("150") / D("450")
    assert north.nrr == D("200") / D("450")
    south = groups["South"]
    assert (south.grr, south.nrr, south.logo_retention) == (1, 1, 1)


@pytest.mark.django_db
def test_group_with_empty_base_reports_null_ratios(org):
    book(org)
    none = _by_group("territory")[None]  # A8: no territory, no revenue in P'
    assert none.base_accounts == 0 and none.period_revenue == D("10.00")
    assert (none.logo_retention, none.grr, none.nrr) == (None, None, None)


@pytest.mark.django_db
def test_overall_and_region(org):
    book(org)
    overall = _by_group("overall")["overall"]
    assert (overall.base_accounts, overall.retained_accounts, overall.lost_accounts) == (5, 3, 2)
    assert overall.base_revenue == D("750.00")
    assert overall.grr == D("0.6") and overall.nrr == D("500") / D("750")
    assert overall.period_revenue == D("600.00")
    regions = _by_group("region")
    assert regions["East"].base_revenue == D("450.00") and regions["West"].base_revenue == D("300.00")


@pytest.mark.django_db
def test_by_rep_uses_owner_on_period_start(org):
    """A7 moved from R3 to R4 on 2026-02-15: it stays in R3's group for 2026-Q1."""
    book(org)
    reps = _by_group("rep")
    assert reps["R3"].base_revenue == D("300.00")
    assert "R4" not in reps
    # A5 (R1's from 2026-01-05) and A6 had no owner on P.start: the null group
    assert reps["R1"].period_revenue == D("190.00") and reps["R1"].new_accounts == 0
    assert reps[None].period_revenue == D("110.00") and reps[None].new_accounts == 1
    q2 = {g.group: g for g in retention_report(period=parse_period("2026-Q2"), by="rep")}
    assert q2["R4"].base_revenue == D("300.00")


@pytest.mark.django_db
def test_month_and_custom_periods_compare_with_the_period_before(org):
    acc = book(org)
    feb = {g.group: g for g in retention_report(period=parse_period("2026-02"), by="overall")}["overall"]
    # January: A5 80 and A6 20, neither orders in February; February: 150+50+30+10
    assert (feb.base_accounts, feb.lost_accounts, feb.base_revenue) == (2, 2, D("100.00"))
    assert feb.period_revenue == D("240.00")
    period = custom_period(date(2026, 1, 1), date(2026, 1, 10))  # P' = 2025-12-22..2025-12-31
    assert period.previous().start == date(2025, 12, 22)
    custom = retention_report(period=period, by="overall")[0]
    assert custom.base_accounts == 0 and custom.grr is None and custom.period_revenue == D("100.00")
    assert acc["A5"].pk


@pytest.mark.django_db
def test_unknown_grouping_is_refused(org):
    with pytest.raises(RuleViolation):
        retention_report(period=P, by="planet")


@pytest.mark.django_db
def test_lost_accounts_with_cause_owner_and_totals(org):
    book(org)
    rows = lost_accounts(period=P)
    assert [(r.account.external_id, r.prior_revenue, r.owner_id, r.cause, r.reason) for r in rows] == [
        ("A3", D("100.00"), "R1", "unexplained", ""),
        ("A4", D("50.00"), "R1", "avoidable", "price"),
    ]
    assert rows[0].territory == "North"
    totals = lost_totals(rows)
    assert totals.by_cause["unexplained"] == (1, D("100.00"))
    assert totals.by_cause["avoidable"] == (1, D("50.00"))
    assert totals.by_cause["unavoidable"] == (0, D("0.00"))
    assert totals.by_reason["price"] == (1, D("50.00"))


@pytest.mark.django_db
def test_rep_sees_retention_of_own_book_only(org):
    book(org)
    r1 = _by_group("overall", user=org["R1"].user)["overall"]
    assert r1.base_revenue == D("450.00")  # A1..A4; A6 (nobody's) and South not visible
    m2 = _by_group("overall", user=org["M2"].user)["overall"]
    assert m2.base_revenue == D("300.00")  # A7 (R4 owns it now: M2's team)
    assert _by_group("overall", user=org["D1"].user)["overall"].base_revenue == D("750.00")
    assert retention_report(period=P, by="overall", user=org["R2"].user) == []
