"""The scorecards' rollup (team.LineMonth, FirstLine): the figures read from it equal the
figures worked out from the order lines (the oracle, tests/team/oracle.py), and it is kept in
step by every revenue rollup refresh and, for lines added otherwise, before it is read."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from bookwise.accounts.models import OrderLine
from bookwise.core.dates import add_months, trailing_12_months
from bookwise.retention import selectors as retention_selectors
from bookwise.retention.models import TierPin
from bookwise.retention.services import revenue_rollup_refresh
from bookwise.team import rollup
from bookwise.team.models import FirstLine, LineMonth
from bookwise.team.selectors import scorecards
from bookwise.team.selectors.common import windows_at
from bookwise.team.selectors.facts import collect_facts
from bookwise.team.selectors.rolled import pieces, t12_plan
from bookwise.team.selectors.scorecards import build_scorecards
from bookwise.team.selectors.tiers import book_tiers
from bookwise.team.services import line_rollup_refresh
from tests import factories as f
from tests.properties import examples
from tests.team.oracle import facts_from_lines
from tests.team.scenario import D, build

# --- pure parts -------------------------------------------------------------------------


def _days_of(start: date, end: date) -> set[date]:
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


@settings(max_examples=examples(300))
@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 800))
def test_t12_plan_is_an_identity(start, length):
    """[start, end] = T12(anchor) + the signed ranges, day by day."""
    end = start + timedelta(days=length)
    anchor, ranges = t12_plan(start, end)
    weight: dict[date, int] = dict.fromkeys(
        _days_of(rollup.month_first(anchor - 11), rollup.month_last(anchor)), 1
    )
    for a, b, sign in ranges:
        for day in _days_of(a, b):
            weight[day] = weight.get(day, 0) + sign
    assert {d for d, n in weight.items() if n} == _days_of(start, end)
    assert all(n in (0, 1) for n in weight.values())


def test_t12_plan_reads_few_days_for_a_trailing_year():
    window = trailing_12_months(date(2026, 11, 21))  # [2025-11-22, 2026-11-21]
    assert t12_plan(window.start, window.end) == (
        rollup.month_no(date(2026, 11, 1)),
        [(date(2025, 11, 22), date(2025, 11, 30), 1), (date(2026, 11, 22), date(2026, 11, 30), -1)],
    )
    year = trailing_12_months(date(2026, 6, 30))  # whole months: the 12-month row alone
    assert t12_plan(year.start, year.end) == (rollup.month_no(date(2026, 6, 1)), [])


@given(st.lists(st.tuples(st.dates(date(2026, 1, 1), date(2026, 3, 31)), st.integers(0, 40)), max_size=6))
def test_pieces_tile_every_range(spans):
    ranges = [(a, a + timedelta(days=n)) for a, n in spans]
    cut = pieces(ranges)
    assert all(b < c for (_, b), (c, _) in zip(cut, cut[1:], strict=False))  # sorted, disjoint
    covered = set().union(*(_days_of(a, b) for a, b in cut)) if cut else set()
    assert covered == (set().union(*(_days_of(a, b) for a, b in ranges)) if ranges else set())
    for a, b in ranges:
        assert _days_of(a, b) == set().union(*(_days_of(p, q) for p, q in cut if a <= p and q <= b))


def test_month_numbers():
    assert rollup.month_no(date(2026, 2, 14)) == 2026 * 12 + 1
    assert rollup.month_first(rollup.month_no(date(2024, 2, 14))) == date(2024, 2, 1)
    assert rollup.month_last(rollup.month_no(date(2024, 2, 14))) == date(2024, 2, 29)


# --- the rollup path equals the order-line path ----------------------------------------


def _tiers(day):
    """The retention app's tiers, as tuples (book_tiers returns the same fields)."""
    return {pk: astuple(info) for pk, info in retention_selectors.account_tiers(day=day).items()}


def _facts_view(facts, account_ids):
    return (
        facts.owners,
        {a: (facts.account(a).rev, facts.account(a).gp) for a in account_ids},
        {r: c for r, c in facts.credited.items() if any(c)},
        facts.new_accounts,
    )


def _cards(reps, day, **kw):
    return {
        c.rep.external_id: [(m.key, m.value, m.previous, m.median) for m in c.metrics]
        for c in build_scorecards(reps, day, **kw)
    }


def _both_paths(reps, accounts, day, subsets, monkeypatch):
    """Facts and scorecards from the order lines (the oracle), then from the rollup (stale at
    first: brought up to date by the first read)."""
    w = windows_at(day)
    ids = [a.pk for a in accounts]
    everyone = list(reps.values())
    assert not rollup.is_fresh()
    lines = [_facts_view(facts_from_lines(w, s), ids) for s in subsets]
    with monkeypatch.context() as patch:  # the scorecards built on the oracle's facts
        patch.setattr(scorecards, "collect_facts", lambda w, rep_ids=None: facts_from_lines(w, rep_ids))
        cards = (_cards(everyone, day, everyone=True), _cards([reps["R1"], reps["M1"]], day))
    assert [_facts_view(collect_facts(w, s), ids) for s in subsets] == lines
    assert rollup.is_fresh()
    assert (_cards(everyone, day, everyone=True), _cards([reps["R1"], reps["M1"]], day)) == cards


def test_the_hand_worked_book_reads_the_same_from_the_rollup(org, monkeypatch):
    accounts = build(org)
    _both_paths(org, accounts.values(), D, [None, {org["R1"].id}, {org["R2"].id, org["R1"].id}], monkeypatch)
    card = {c.rep.external_id: c for c in build_scorecards([org["R1"], org["R2"]], D)}
    assert card["R1"].metric("gp_growth").value == Decimal("540.00")
    assert card["R1"].metric("orders_taken").value == 3
    assert card["R2"].metric("new_account_gp").value == Decimal("500.00")


DAY_RANGE = (date(2022, 6, 1), date(2027, 3, 31))
REPS = ["R1", "R2", "R3", None]


@st.composite
def books(draw):
    """(day, accounts): each account's first owner, owner changes (a rep or nobody) and lines
    (date, cents, gross profit cents, rep). Line dates cluster around the owner changes and
    the window edges, where the rollup has to split months."""
    day = draw(
        st.one_of(
            st.dates(date(2025, 1, 1), date(2026, 12, 31)),
            st.sampled_from([date(2026, 2, 28), date(2026, 3, 1), date(2025, 12, 31), date(2026, 11, 21)]),
        )
    )
    w = windows_at(day)
    edges = [day, w.cur.start, w.prev.start, w.prev2.start]
    accounts = []
    for _ in range(draw(st.integers(1, 4))):
        changes = draw(st.lists(st.tuples(st.dates(*DAY_RANGE), st.sampled_from(REPS)), max_size=3))
        near = edges + [c for c, _ in changes]
        when = st.one_of(
            st.dates(*DAY_RANGE),
            st.builds(lambda d, k: d + timedelta(days=k), st.sampled_from(near), st.integers(-20, 20)),
        )
        lines = draw(
            st.lists(
                st.tuples(
                    when,
                    st.integers(-50_000, 200_000),  # cents; negative = credit note
                    st.one_of(st.none(), st.integers(-10_000, 90_000)),
                    st.sampled_from([None, None, None, "R1", "R2"]),  # mostly credited to the owner
                ),
                max_size=16,
            )
        )
        accounts.append((draw(st.sampled_from(REPS)), changes, lines))
    return day, accounts


class RollupPathEqualsLinePath(HypothesisTestCase):
    """Property: on any book (partial months at the window edges, credit notes, empty gross
    profit, lines with and without a rep, owners changing mid-month or on the 1st, gaps
    without an owner, lines after the day) the rollup gives the same facts and scorecards
    as the order lines, for the whole book and for a subset of reps."""

    @settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(books(), st.booleans())
    def test_rollup_equals_lines(self, drawn, pinned):
        day, book = drawn
        retention_selectors._tier_cache.clear()  # rolled-back examples may reuse ids
        m1 = f.rep("M1", role="sales_manager")
        reps = {"M1": m1, "R1": f.rep("R1", manager=m1), "R2": f.rep("R2", role="hunter", manager=m1)}
        reps["R3"] = f.rep("R3", manager=m1)
        accounts = []
        for first_owner, changes, lines in book:
            acc = f.account(owner=reps[first_owner] if first_owner else None, since=date(2020, 1, 1))
            for start, who in sorted({d: w for d, w in changes}.items()):
                current = acc.ownerships.filter(role="primary", end_date__isnull=True).first()
                if current is not None:
                    current.end_date = start - timedelta(days=1)
                    current.save()
                if who is not None:
                    f.own(acc, reps[who], start)
            for when, cents, gp, who in lines:
                f.order(
                    acc,
                    when,
                    str(Decimal(cents).scaleb(-2)),
                    gp=None if gp is None else str(Decimal(gp).scaleb(-2)),
                    rep=reps[who] if who else None,
                )
            accounts.append(acc)
        if pinned:
            TierPin.objects.create(account=accounts[0], tier="A")
        w = windows_at(day)
        with pytest.MonkeyPatch.context() as monkeypatch:
            _both_paths(
                reps, accounts, day, [None, {reps["R1"].id}, {reps["R2"].id, reps["R3"].id}], monkeypatch
            )
        # the scorecards' own tiers equal the retention app's on both days
        facts = collect_facts(w)
        for idx, when in ((0, day), (1, w.prev.end)):
            assert book_tiers(facts, idx) == _tiers(when)


def test_credits_read_in_small_batches_are_the_same(org, monkeypatch):
    """Owner changes are resolved a batch of accounts at a time (month by month, line by
    line in the months where the owner changed or a window edge falls); one account per
    batch gives the same credits."""
    from bookwise.team.selectors import rolled

    build(org)
    for n, (first, second) in enumerate(
        ((org["R1"], org["R3"]), (org["R2"], org["R1"]), (org["R3"], org["R4"]))
    ):
        acc = f.account(f"C{n}")
        change = date(2025, 3 + 4 * n, 15)
        f.own(acc, first, date(2020, 1, 1), change - timedelta(days=1))
        f.own(acc, second, change)
        day = date(2024, 10, 3)
        while day < date(2026, 7, 1):
            f.order(acc, day, "10.00", rep=org["R4"] if day.day % 7 == 0 else None)
            day += timedelta(days=9)
    w = windows_at(date(2026, 6, 17))
    expected = facts_from_lines(w).credited
    monkeypatch.setattr(rolled, "CHUNK", 1)
    assert collect_facts(w).credited == expected
    assert sum(expected[org["R3"].id]) > 0


def test_first_line_ties_are_broken_by_order_id(org):
    acc = f.account("T1", owner=org["R1"])
    f.order(acc, date(2026, 1, 5), "10.00", rep=org["R2"], external_id="B-2")
    f.order(acc, date(2026, 1, 5), "10.00", external_id="B-1")
    line_rollup_refresh()
    first = FirstLine.objects.get(account=acc)
    assert (first.order_date, first.rep_id) == (date(2026, 1, 5), None)
    facts = collect_facts(windows_at(date(2026, 6, 30)))
    assert facts.new_accounts[acc.pk] == (date(2026, 1, 5), org["R1"].id)  # the owner that day


# --- keeping the rollup in step ---------------------------------------------------------


def test_the_rollup_holds_only_months_with_lines_and_trailing_sums_are_taken_when_read(org):
    acc = f.account("A1", owner=org["R1"])
    f.order(acc, date(2025, 3, 10), "100.00", gp="30.00")
    f.order(acc, date(2025, 3, 20), "-20.00")  # a credit note without gross profit
    f.order(acc, date(2026, 1, 5), "50.00", gp="5.00", rep=org["R2"])
    assert line_rollup_refresh() == 2  # sparse: one row per account, rep and month with lines
    march = LineMonth.objects.get(account=acc, rep=None, month=rollup.month_no(date(2025, 3, 1)))
    assert (march.revenue, march.gross_profit, march.lines) == (Decimal("80.00"), Decimal("30.00"), 2)
    assert LineMonth.objects.count() == 2
    # the 12 months to February 2026 (March 2025 - February 2026): March's lines, summed when read
    feb_2026 = rollup.month_no(date(2026, 2, 1))
    trailing = LineMonth.objects.filter(account=acc, rep=None, month__range=(feb_2026 - 11, feb_2026))
    assert trailing.aggregate(r=Sum("revenue"), n=Sum("lines")) == {"r": Decimal("80.00"), "n": 2}
    march_2026 = rollup.month_no(date(2026, 3, 1))  # March 2025 has left its 12 months
    assert not LineMonth.objects.filter(account=acc, rep=None, month__range=(march_2026 - 11, march_2026))
    r2 = LineMonth.objects.get(account=acc, rep=org["R2"])
    assert (r2.month, r2.lines) == (rollup.month_no(date(2026, 1, 1)), 1)


def test_a_new_line_makes_the_rollup_stale_and_the_first_read_refreshes_it(org):
    accounts = build(org)
    line_rollup_refresh()
    before = {a: LineMonth.objects.filter(account=a).count() for a in accounts.values()}
    f.order(accounts["B1"], date(2026, 6, 1), "10.00", gp="10.00")
    assert not rollup.is_fresh()
    card = {c.rep.external_id: c for c in build_scorecards([org["R1"]], D)}["R1"]
    assert rollup.is_fresh()
    assert card.metric("gp_growth").value == Decimal("550.00")  # the new line counts
    assert card.metric("orders_taken").value == 4
    # only B1's rows were rebuilt (the others kept theirs)
    assert LineMonth.objects.get(account=accounts["B1"], month=rollup.month_no(date(2026, 6, 1))).lines == 1
    assert all(
        LineMonth.objects.filter(account=a).count() == n for a, n in before.items() if a != accounts["B1"]
    )


def test_every_revenue_rollup_refresh_refreshes_the_team_rollup(org):
    accounts = build(org)
    revenue_rollup_refresh()  # e.g. `bookwise rollup_refresh` or the demo builder
    assert rollup.is_fresh()
    f.order(accounts["B4"], date(2026, 5, 5), "70.00", gp="7.00")
    revenue_rollup_refresh(account_ids=[accounts["B4"].pk])  # after an import touching B4
    assert rollup.is_fresh()
    assert LineMonth.objects.get(account=accounts["B4"], month=rollup.month_no(date(2026, 5, 1))).lines == 1
    assert FirstLine.objects.get(account=accounts["B4"]).order_date == date(2026, 5, 5)


def test_a_partial_refresh_of_a_stale_rollup_rebuilds_it_whole(org):
    accounts = build(org)
    line_rollup_refresh()
    f.order(accounts["B1"], date(2026, 2, 3), "7.00")  # B1 goes stale, nobody refreshes it
    f.order(accounts["B2"], date(2026, 2, 1), "1.00")
    line_rollup_refresh(account_ids=[accounts["B2"].pk])
    assert rollup.is_fresh()
    assert LineMonth.objects.get(account=accounts["B1"], month=rollup.month_no(date(2026, 2, 1))).lines == 1


def test_an_orders_import_refreshes_the_team_rollup(org, tmp_path):
    from bookwise.imports.services import import_file

    accounts = build(org)
    revenue_rollup_refresh()
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id,account_id,order_date,amount,gross_profit,rep_id\n"
        f"X-1,{accounts['B4'].external_id},2026-04-02,40.00,12.00,R2\n"
        f"X-2,{accounts['B1'].external_id},2026-04-03,-5.00,,\n"
    )
    assert import_file(kind="orders", path=path).ok
    assert rollup.is_fresh()
    april = rollup.month_no(date(2026, 4, 1))
    assert LineMonth.objects.get(account=accounts["B4"], rep=org["R2"], month=april).gross_profit == Decimal(
        "12.00"
    )
    assert LineMonth.objects.get(account=accounts["B1"], rep=None, month=april).revenue == Decimal("-5.00")
    w = windows_at(D)
    ids = [a.pk for a in accounts.values()]
    assert _facts_view(collect_facts(w), ids) == _facts_view(facts_from_lines(w), ids)


def test_rollup_refresh_command(org):
    from io import StringIO

    build(org)
    out = StringIO()
    call_command("team", "rollup-refresh", stdout=out)
    assert "team rollup refreshed" in out.getvalue()
    assert rollup.is_fresh()
    assert OrderLine.objects.count() == sum(LineMonth.objects.values_list("lines", flat=True))


def test_book_tiers_equal_the_retention_apps_tiers(org):
    accounts = build(org)
    TierPin.objects.create(account=accounts["B2"], tier="A")
    facts = collect_facts(windows_at(D))
    assert book_tiers(facts, 0) == _tiers(D)
    assert book_tiers(facts, 1) == _tiers(add_months(D, -12))
    assert {t.tier for t in book_tiers(facts, 0).values()} == {"A", "C"}  # B2 pinned A


def test_sparklines_read_the_same_from_the_rollup(org):
    """Monthly gross profit of a book (a manager's team: many accounts) from the rollup's
    whole months and the lines of the day's month up to the day."""
    from bookwise.team.selectors.scorecards import rep_scorecard
    from bookwise.team.selectors.series import book_gp, sparklines

    accounts = build(org)
    day = date(2026, 3, 15)
    f.order(accounts["B1"], date(2026, 3, 20), "90.00", gp="9.00")  # after the day: not counted
    f.order(accounts["B1"], date(2026, 3, 2), "80.00", gp="8.00")
    admin = f.admin_user()
    stale = {r: sparklines(rep_scorecard(user=admin, rep_id=r, day=day)) for r in ("R1", "R2", "M1", "D1")}
    months = book_gp({org["R1"].id}, day)
    # 24 months from 2024-04: B2 2024-08 100, B1 2025-01 300, N4 2025-08 40, N1 2025-09 300
    # (owned by R1 at the day, hunted by R2), B1 2025-12 400, N1 2026-03-01 200 + B1 8.
    assert months[4] == Decimal("100.00") and months[9] == Decimal("300.00")
    assert (months[16], months[17], months[20], months[23]) == tuple(
        Decimal(x) for x in ("40.00", "300.00", "400.00", "208.00")
    )
    line_rollup_refresh()
    assert {r: sparklines(rep_scorecard(user=admin, rep_id=r, day=day)) for r in stale} == stale
