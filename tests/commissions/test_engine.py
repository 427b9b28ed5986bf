"""The pure engine against hand-worked examples of COMMISSIONS.md (no database)."""

from datetime import date
from decimal import Decimal as D

import pytest

from tests.commissions import line_engine as engine
from tests.commissions.line_engine import CreditLine, Plan, RampStep, Tier, TransferContext, TransferRule

Q_PLAN = Plan(
    name="AM",
    roles=("account_manager",),
    valid_from=date(2026, 1, 1),
    valid_to=date(2026, 12, 31),
    quota=D("150000"),
    tiers=(Tier(D("0.0"), D("0.05")), Tier(D("1.0"), D("0.08"))),
)
FLAT = Plan(
    name="Flat",
    roles=("hunter",),
    valid_from=date(2026, 1, 1),
    valid_to=date(2026, 12, 31),
    tiers=(Tier(D("0"), D("0.05")),),
)


def line(oid, day, credit, *, account=1, kind="new", transfer=None):
    return CreditLine(oid, account, f"A{account}", day, kind, D(credit), transfer=transfer)


def commissions(plan, lines, quota=None, contexts=None):
    result = engine.rep_statement(plan, quota if quota is not None else plan.quota, lines, contexts)
    return [r.commission for r in result.lines], result


@pytest.mark.parametrize(
    ("credits", "expected"),
    [
        # 100000 x 5 % = 5000; then 100000..180000: 50000 x 5 % + 30000 x 8 % = 2500 + 2400
        (["100000", "80000"], [D("5000.00"), D("4900.00")]),
        # a credit note crossing the tier boundary downwards: R(130000) - R(180000)
        # = -(30000 x 8 % + 20000 x 5 %) = -3400
        (["180000", "-50000"], [D("9900.00"), D("-3400.00")]),  # 7500 + 2400 first
        # below 0 R extends with the rate at attainment 0: -1000 x 5 % = -50
        (["-1000", "3000"], [D("-50.00"), D("150.00")]),
        # exactly at the boundary, then above it: 150000 x 5 % = 7500; 10 x 8 % = 0.80
        (["150000", "10"], [D("7500.00"), D("0.80")]),
    ],
)
def test_marginal_tiers_worked_examples(credits, expected):
    lines = [line(f"O{i}", date(2026, 1, 10 + i), c) for i, c in enumerate(credits)]
    paid, result = commissions(Q_PLAN, lines)
    assert paid == expected
    assert result.commission == sum(expected)


def test_line_order_is_date_then_order_id_as_strings():
    # same date: "O10" < "O9" as strings, so O10 (100000) goes first
    lines = [line("O9", date(2026, 2, 1), "100000"), line("O10", date(2026, 2, 1), "100000")]
    _, result = commissions(Q_PLAN, lines)
    assert [r.line.order_id for r in result.lines] == ["O10", "O9"]
    # O10: 5000; O9: 50000 x 5 % + 50000 x 8 % = 6500
    assert [r.commission for r in result.lines] == [D("5000.00"), D("6500.00")]


@pytest.mark.parametrize(
    ("credit", "expected"),
    [("2.50", D("0.13")), ("-2.50", D("-0.13")), ("2.49", D("0.12")), ("0.10", D("0.01"))],
)
def test_half_up_rounding_away_from_zero(credit, expected):
    # 2.50 x 5 % = 0.125 -> 0.13; -0.125 -> -0.13; 0.1245 -> 0.12; 0.005 -> 0.01
    paid, _ = commissions(FLAT, [line("O1", date(2026, 1, 5), credit)])
    assert paid == [expected]


def test_one_tier_without_quota_is_rate_times_credit():
    curve = engine.RateCurve(FLAT.tiers, None)
    assert curve(D("1234.56")) == D("61.7280")
    assert curve(D("-10")) == D("-0.50")


def test_attainment_four_decimals_and_null_without_quota():
    assert engine.attainment(D("139680"), D("150000")) == D("0.9312")
    assert engine.attainment(D("10"), None) is None


RULE = TransferRule(
    horizon_months=12,
    delay_months=3,
    new_orders_only=True,
    threshold="none",
    ramp=(RampStep(0, D("0.5")), RampStep(6, D("1.0"))),
)


def ruled(rule):
    return Plan(
        name="T",
        roles=("account_manager",),
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
        tiers=(Tier(D("0"), D("0.10")),),
        transfer_rule=rule,
    )


def test_delay_clamps_month_end():
    # t = 2025-11-30, delay 3 months -> 2026-02-28: the 27th earns 0, the 28th earns
    # ramp(3 completed months) = 0.5 x 10 % x 1000 = 50
    t = date(2025, 11, 30)
    lines = [
        line("O1", date(2026, 2, 27), "1000", transfer=t),
        line("O2", date(2026, 2, 28), "1000", transfer=t),
    ]
    paid, result = commissions(ruled(RULE), lines)
    assert paid == [D("0.00"), D("50.00")]
    assert "delay until 2026-02-28" in result.lines[0].explanation


def test_ramp_crossing_months():
    # t = 2026-01-15, no delay: 2026-07-14 is 5 completed months (x0.5), 2026-07-15 is 6 (x1)
    rule = TransferRule(ramp=(RampStep(0, D("0.5")), RampStep(6, D("1.0"))))
    t = date(2026, 1, 15)
    lines = [
        line("O1", date(2026, 7, 14), "1000", transfer=t),
        line("O2", date(2026, 7, 15), "1000", transfer=t),
    ]
    paid, result = commissions(ruled(rule), lines)
    assert paid == [D("50.00"), D("100.00")]
    assert "ramp x0.5 at month 5" in result.lines[0].explanation


def test_new_orders_only_and_horizon():
    t = date(2025, 1, 10)
    lines = [
        line("O1", date(2025, 6, 1), "1000", kind="repeat", transfer=t),  # new only -> 0
        line("O2", date(2025, 6, 2), "1000", kind="new", transfer=t),  # 4 months -> x0.5 -> 50
        line("O3", date(2026, 1, 10), "1000", kind="repeat", transfer=t),  # t + 12: outside horizon -> 100
    ]
    paid, _ = commissions(ruled(RULE), lines)
    assert paid == [D("0.00"), D("50.00"), D("100.00")]


def test_threshold_crossed_inside_one_line():
    # B = 1000, 600 credited since t before the period; a 1000 line: s = 600,
    # above = max(0, 1600 - 1000) - max(0, 600 - 1000) = 600, g = 0.6;
    # 10 % x 1000 x 0.6 = 60; then the next 500 lies wholly above B: 50
    rule = TransferRule(threshold="prior_12_months")
    t = date(2025, 10, 1)
    ctx = {(1, t): TransferContext(baseline=D("1000"), prior_credit=D("600"))}
    lines = [
        line("O1", date(2026, 1, 5), "1000", transfer=t),
        line("O2", date(2026, 1, 6), "500", transfer=t),
    ]
    paid, result = commissions(ruled(rule), lines, contexts=ctx)
    assert paid == [D("60.00"), D("50.00")]
    assert result.lines[0].factor == D("0.6")


def test_threshold_counts_lines_that_earn_zero_in_the_delay():
    # delay 3 months: O1 (in the delay) earns 0 but fills the baseline of 800
    rule = TransferRule(delay_months=3, threshold="prior_12_months")
    t = date(2026, 1, 1)
    ctx = {(1, t): TransferContext(baseline=D("800"))}
    lines = [
        line("O1", date(2026, 2, 1), "1000", transfer=t),
        line("O2", date(2026, 4, 1), "500", transfer=t),
    ]
    paid, _ = commissions(ruled(rule), lines, contexts=ctx)
    assert paid == [D("0.00"), D("50.00")]


def test_gross_profit_unknown_line_pays_zero_and_says_so():
    unknown = CreditLine("O1", 1, "A1", date(2026, 1, 5), "new", D("0"), unknown_gp=True)
    _, result = commissions(FLAT, [unknown])
    assert result.lines[0].commission == D("0.00")
    assert "gross profit unknown" in result.lines[0].explanation


def test_base_measure_gross_profit_unknown_is_none():
    ol = engine.OrderLine("O1", 1, "A1", date(2026, 1, 1), "new", D("100"), None, None, 5, None)
    assert engine.base_measure(ol, "gross_profit") is None
    assert engine.base_measure(ol, "amount") == D("100")


@pytest.mark.parametrize(
    ("rep", "primary", "secondary", "expected"),
    [
        (None, 1, None, [(1, D(1), "credited")]),
        (None, 1, 2, [(1, D("0.8"), "credited"), (2, D("0.2"), "secondary")]),
        (3, 1, 2, [(3, D("0.8"), "credited"), (2, D("0.2"), "secondary")]),
        (2, 1, 2, [(2, D(1), "credited")]),  # the secondary is the credited rep: no split
        (None, None, 2, [(2, D(1), "credited")]),  # neither rep nor primary: secondary takes all
        (None, None, None, []),
    ],
)
def test_credit_and_co_coverage_split(rep, primary, secondary, expected):
    ol = engine.OrderLine("O1", 1, "A1", date(2026, 1, 1), "new", D("100"), None, rep, primary, secondary)
    assert engine.credit_fractions(ol, D("0.2")) == expected


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [("150000", "100000", D("1000.00")), ("100000", "120000", D("0.00")), ("100", "100", D("0.00"))],
)
def test_override_on_team_growth(now, before, expected):
    # 2 % x max(0, 150000 - 100000) = 1000; negative growth pays 0
    assert engine.override_amount(D("0.02"), D(now), D(before)) == expected


TIERS = [engine.RebateTier(D("100000"), D("0.02")), engine.RebateTier(D("250000"), D("0.03"))]


@pytest.mark.parametrize(
    ("revenue", "tier", "rebate", "next_from", "needed"),
    [
        ("99999.99", None, D("0.00"), D("100000"), D("0.01")),
        ("100000", D("100000"), D("2000.00"), D("250000"), D("150000")),  # exactly at the boundary
        ("260000", D("250000"), D("7800.00"), None, None),  # retroactive: 3 % x 260000
    ],
)
def test_rebate_tiers(revenue, tier, rebate, next_from, needed):
    status = engine.rebate_status(TIERS, D(revenue))
    assert (status.tier.start if status.tier else None) == tier
    assert status.rebate == rebate
    assert (status.next_tier.start if status.next_tier else None) == next_from
    assert status.needed == needed


def test_plan_without_tiers_pays_zero():
    plan = Plan(
        name="Mgr", roles=("sales_manager",), valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31)
    )
    paid, _ = commissions(plan, [line("O1", date(2026, 1, 1), "1000")])
    assert paid == [D("0.00")]
