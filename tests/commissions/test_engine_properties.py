"""Hypothesis properties of the engine, and the engine against the plain per-line
reference implementation in exact fractions (commissions/reference.py)."""

from datetime import date, timedelta
from decimal import Decimal
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from bookwise.commissions.compute import vector
from tests.commissions import line_engine as engine
from tests.commissions.line_engine import CreditLine, Plan, RampStep, Tier, TransferContext, TransferRule
from tests.commissions.reference import reference_commissions
from tests.properties import examples

START = date(2026, 1, 1)
T_DATES = [date(2025, 6, 30), date(2025, 11, 30), date(2026, 1, 31)]
cents = st.integers(min_value=-500_000, max_value=5_000_000).map(lambda c: D(c).scaleb(-2))
positive_cents = st.integers(min_value=0, max_value=5_000_000).map(lambda c: D(c).scaleb(-2))
rates = st.integers(min_value=0, max_value=2000).map(lambda r: D(r).scaleb(-4))


@st.composite
def plans(draw, with_rule=True, ramp_max=200):
    n = draw(st.integers(min_value=0, max_value=4))
    starts = sorted(draw(st.sets(st.integers(min_value=1, max_value=300), min_size=n, max_size=n)))
    tiers = (Tier(D(0), draw(rates)),) + tuple(Tier(D(s).scaleb(-2), draw(rates)) for s in starts)
    quota = draw(st.integers(min_value=100, max_value=10_000_000)).__index__()
    rule = None
    if with_rule and draw(st.booleans()):
        months = sorted(draw(st.sets(st.integers(min_value=1, max_value=12), max_size=3)))
        ramp = (RampStep(0, D(draw(st.integers(0, ramp_max))).scaleb(-2)),) + tuple(
            RampStep(m, D(draw(st.integers(0, ramp_max))).scaleb(-2)) for m in months
        )
        rule = TransferRule(
            horizon_months=draw(st.none() | st.integers(1, 18)),
            delay_months=draw(st.integers(0, 4)),
            new_orders_only=draw(st.booleans()),
            threshold=draw(st.sampled_from(["none", "prior_12_months"])),
            ramp=ramp,
        )
    return Plan(
        name="P",
        roles=("hunter",),
        valid_from=START,
        valid_to=date(2026, 12, 31),
        quota=D(quota),
        tiers=tiers,
        transfer_rule=rule,
    )


@st.composite
def line_sets(draw, credit=cents, transfers=True):
    n = draw(st.integers(min_value=0, max_value=25))
    out = []
    for i in range(n):
        account = draw(st.integers(1, 3))
        t = (
            draw(st.sampled_from([None, date(2025, 6, 30), date(2025, 11, 30), date(2026, 1, 31)]))
            if transfers
            else None
        )
        day = START + timedelta(days=draw(st.integers(0, 89)))
        if t is not None and t > day:
            t = None
        out.append(
            CreditLine(
                f"O{draw(st.integers(0, 40))}-{i}",
                account,
                f"A{account}",
                day,
                draw(st.sampled_from(["new", "repeat"])),
                draw(credit),
                transfer=t,
            )
        )
    return out


contexts = st.dictionaries(
    st.tuples(st.integers(1, 3), st.sampled_from([date(2025, 6, 30), date(2025, 11, 30), date(2026, 1, 31)])),
    st.builds(TransferContext, positive_cents, positive_cents),
)


@settings(max_examples=examples(150), deadline=None)
@given(plans(), line_sets(), contexts)
def test_engine_matches_the_plain_reference(plan, lines, ctx):
    result = engine.rep_statement(plan, plan.quota, lines, ctx)
    assert [(r.line.order_id, r.commission) for r in result.lines] == reference_commissions(
        plan, plan.quota, lines, ctx
    )


@settings(max_examples=examples(150), deadline=None)
@given(plans(with_rule=False), line_sets(transfers=False), st.randoms())
def test_no_transfers_total_is_r_of_total_credit_in_any_order(plan, lines, rnd):
    # Each line is rounded once, so the total is within n x 0.005 of R(total credit),
    # whatever the line order.
    curve = engine.RateCurve(plan.tiers, plan.quota)
    ids = [x.order_id for x in lines]
    rnd.shuffle(ids)
    reordered = [
        CreditLine(i, x.account, x.account_ref, x.day, x.kind, x.credit)
        for i, x in zip(ids, lines, strict=True)
    ]
    for some in (lines, reordered):
        result = engine.rep_statement(plan, plan.quota, some)
        total = sum((x.credit for x in some), D(0))
        assert abs(result.commission - curve(total)) <= D("0.005") * len(some)


@settings(max_examples=examples(150), deadline=None)
@given(plans(with_rule=True, ramp_max=100), line_sets(credit=positive_cents), contexts)
def test_a_transfer_rule_never_pays_more_than_no_rule(plan, lines, ctx):
    with_rule = engine.rep_statement(plan, plan.quota, lines, ctx)
    plain = Plan(**{**plan.__dict__, "transfer_rule": None})
    without = engine.rep_statement(plain, plan.quota, lines, ctx)
    assert with_rule.commission <= without.commission


@given(positive_cents, rates, st.booleans())
def test_split_credits_add_up_to_the_line_credit(amount, split, secondary):
    ol = engine.OrderLine("O1", 1, "A1", START, "new", amount, None, None, 1, 2 if secondary else None)
    fractions = engine.credit_fractions(ol, split)
    assert sum((amount * f for _, f, _ in fractions), D(0)) == amount


def fast(plan, lines, ctx):
    cols = engine.columns_from_lines(1, lines)
    result = vector.compute(cols, {1: plan}, {1: plan.quota}, {1: ctx})
    ids = [str(cols.order_id[j]) for j in result.index]
    return result, list(zip(ids, [Decimal(int(c)) / 100 for c in result.commission], strict=True))


@settings(max_examples=examples(150), deadline=None)
@given(plans(), line_sets(), contexts)
def test_vectorised_path_matches_the_reference_and_the_engine(plan, lines, ctx):
    result, paid = fast(plan, lines, ctx)
    assert paid == reference_commissions(plan, plan.quota, lines, ctx)
    slow = engine.rep_statement(plan, plan.quota, lines, ctx)
    assert result.explanation == [r.explanation for r in slow.lines]
    assert result.factor == [
        float(r.factor.quantize(D("0.000001"), rounding="ROUND_HALF_UP")) for r in slow.lines
    ]
    if lines:
        assert D(result.credit_total[1]) / (100 * fastpath_scale(lines)) == slow.credit


def fastpath_scale(lines):
    return engine.columns_from_lines(1, lines).scale


@st.composite
def odd_plans(draw):
    """Tier bounds that are not whole cents (a quota in cents times a `from` with four
    decimals): the columns scale the credits up until every bound is whole."""
    plan = draw(plans())
    quota = D(draw(st.integers(min_value=10_001, max_value=99_999_999))).scaleb(-2)
    starts = sorted(draw(st.sets(st.integers(min_value=1, max_value=30_000), min_size=1, max_size=3)))
    tiers = (plan.tiers[0],) + tuple(Tier(D(s).scaleb(-4), draw(rates)) for s in starts)
    return Plan(name="P", roles=("hunter",), valid_from=START, valid_to=date(2026, 12, 31), quota=quota,
                tiers=tiers, transfer_rule=plan.transfer_rule)  # fmt: skip


huge_cents = st.integers(min_value=-(10**17), max_value=10**18).map(lambda c: D(c).scaleb(-2))


@settings(max_examples=examples(60), deadline=None)
@given(odd_plans() | plans(), line_sets(credit=huge_cents) | line_sets(), contexts)
def test_vectorised_path_is_exact_with_odd_bounds_and_huge_credits(plan, lines, ctx):
    # the columns fall back to Python integers where int64 could overflow: same figures
    result, paid = fast(plan, lines, ctx)
    assert paid == reference_commissions(plan, plan.quota, lines, ctx)
    slow = engine.rep_statement(plan, plan.quota, lines, ctx)
    assert result.explanation == [r.explanation for r in slow.lines]
    if lines:
        assert D(result.credit_total[1]) / (100 * fastpath_scale(lines)) == slow.credit
