"""The fast paths (whole months and quarters from the rollup, partial months from the order lines
or as a rollup month minus the rest of it, the at-risk rules in SQL) against a plain reference
worked out in Python from the order lines themselves, on random books."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookwise.core.dates import add_months, custom_period, parse_period, trailing_12_months
from bookwise.retention import grouped, metrics, rollup, selectors
from bookwise.retention.book import at_risk, at_risk_summary
from bookwise.retention.reports import lost_accounts, retention_report
from bookwise.retention.rows import last_complete_quarter
from bookwise.retention.services import revenue_rollup_refresh
from bookwise.retention.trend import retention_trend
from tests import factories as f
from tests.properties import examples

ACCOUNTS = 4
# days before the day the figures are for: anywhere over three years, or near the edges of the
# windows (the day itself, a year and two years back) where months are cut, and some after it
offsets = st.one_of(
    st.integers(-60, 1100),
    st.builds(lambda edge, near: edge + near, st.sampled_from([0, 365, 366, 730, 731]), st.integers(-12, 12)),
)
lines = st.lists(st.tuples(st.integers(0, ACCOUNTS - 1), offsets, st.integers(-3000, 20000)), max_size=40)
days = st.dates(min_value=date(2025, 3, 1), max_value=date(2026, 12, 31))


def _sum(book, pk, start, end):
    return sum((D(c) / 100 for a, d, c in book if a == pk and start <= d <= end), D("0.00"))


def _reference_at_risk(book, accounts, day):
    t12m = trailing_12_months(day)
    prev_start = add_months(day, -24) + timedelta(days=1)
    rows = []
    for pk, active in sorted(accounts.items()):  # P0, P1, ... (ids break ties)
        window = [(d, c) for a, d, c in book if a == pk and prev_start <= d <= day]
        if not window or not active:
            continue
        positive = sorted({d for d, c in window if c > 0})
        risk = metrics.RiskInput(
            pk,
            _sum(book, pk, t12m.start, t12m.end),
            _sum(book, pk, prev_start, t12m.start - timedelta(days=1)),
            positive[0] if positive else None,
            positive[-1] if positive else None,
            len(positive),
        )
        flag = metrics.risk_flag(risk, day)
        if flag:
            rows.append((pk, flag, risk.t12m, risk.prev12m, risk.last_order))
    return sorted(rows, key=lambda r: -(r[3] - r[2]))  # stable: ties stay in id order


@pytest.mark.django_db
@settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(book_lines=lines, day=days, fresh=st.booleans(), lost=st.booleans())
def test_fast_paths_equal_the_plain_reference(book_lines, day, fresh, lost):
    with transaction.atomic():
        north = f.territory("North", "East")
        accounts = [
            f.account(
                f"P{i}",
                territory=north if i % 2 else None,
                status="lost" if lost and i == 3 else "active",
                lost_date=date(2025, 1, 1) if lost and i == 3 else None,
            )
            for i in range(ACCOUNTS)
        ]
        pks = [a.pk for a in accounts]
        book = [(pks[i], day - timedelta(days=back), cents) for i, back, cents in book_lines]
        for pk, d, c in book:
            f.order(accounts[pks.index(pk)], d, str(D(c) / 100))
        if fresh:
            revenue_rollup_refresh()
        assert rollup.is_fresh() is fresh
        selectors._tier_cache.clear()

        # per-account sums over any range (partial months at both ends included)
        start, end = add_months(day, -14) + timedelta(days=3), day
        expected = {pk: _sum(book, pk, start, end) for pk, d, _ in book if start <= d <= end}
        assert {pk: s["r"] for pk, s in rollup.account_sums({"r": (start, end)}).items()} == expected

        # figures only (whole quarters may come from the quarter rows): the same sums, and any
        # other account comes back with zeros
        year = parse_period(str(day.year - 1))
        ranges = {
            "y": (year.start, year.end),
            "q": (date(day.year, 1, 1), date(day.year, 3, 31)),
            "r": (start, end),
        }
        figures = rollup.account_sums(ranges, figures_only=True)
        for pk in pks:
            expected_sums = {n: _sum(book, pk, a, b) for n, (a, b) in ranges.items()}
            assert figures.get(pk, dict.fromkeys(ranges, D("0.00"))) == expected_sums
        (report,) = retention_report(period=year, by="overall")
        prev = year.previous()
        base = [pk for pk in pks if _sum(book, pk, prev.start, prev.end) > 0]
        assert (report.base_accounts, report.period_revenue) == (
            len(base),
            sum((_sum(book, pk, year.start, year.end) for pk in pks), D("0.00")),
        )
        assert report.retained_revenue == sum(
            (max(D(0), _sum(book, pk, year.start, year.end)) for pk in base), D("0.00")
        )
        first_line = {pk: min(d for a, d, _ in book if a == pk) for pk, _, _ in book}
        months = {f"{d.year}-{d.month:02d}" for d in [day, *first_line.values()]}  # where accounts open
        for period in [year, *(parse_period(m) for m in sorted(months))]:  # whole quarters, whole months
            (report,) = retention_report(period=period, by="overall")
            assert report.new_accounts == sum(1 for d in first_line.values() if d in period)
        for opened in sorted(first_line.values())[:2]:  # periods cut inside months, around an opening
            for a, b in ((0, 9), (-3, 40), (1, 50), (-20, -1)):
                period = custom_period(opened + timedelta(days=a), opened + timedelta(days=b))
                (report,) = retention_report(period=period, by="overall")
                assert report.new_accounts == sum(1 for d in first_line.values() if d in period)

        # at risk: the list, and the dashboard's count and head of it
        active = {a.pk: a.status == "active" for a in accounts}
        found = at_risk(day=day)
        assert [(r.account.pk, r.flag, r.t12m_revenue, r.prev12m_revenue, r.last_order) for r in found] == (
            _reference_at_risk(book, active, day)
        )
        summary = at_risk_summary(day=day, top=2)
        assert (summary.top, summary.count) == (found[:2], len(found))

        # tiers from T12M revenue (given by the at-risk read, or read on their own)
        t12m = trailing_12_months(day)
        revenue = {pk: _sum(book, pk, t12m.start, t12m.end) for pk in pks}
        tiers = metrics.assign_tiers(
            [metrics.TierInput(pk, f"P{i}", revenue[pk]) for i, pk in enumerate(pks)]
        )
        assert {pk: (i.tier, i.t12m_revenue) for pk, i in selectors.account_tiers(day=day).items()} == {
            pk: (tiers[pk], revenue[pk]) for pk in pks
        }
        assert summary.t12m_cents == {pk: int(r * 100) for pk, r in revenue.items() if r}

        # lost accounts and the trend of the last complete quarter (quarter rows when fresh)
        period = last_complete_quarter(day)
        prev = period.previous()
        expected_lost = {
            pk: _sum(book, pk, prev.start, prev.end)
            for pk in pks
            if _sum(book, pk, prev.start, prev.end) > 0 and _sum(book, pk, period.start, period.end) <= 0
        }
        assert {r.account.pk: r.prior_revenue for r in lost_accounts(period=period)} == expected_lost
        trend = retention_trend(last=period, quarters=2, by="overall")
        assert trend.overall[-1].lost_accounts == len(expected_lost)
        assert trend.overall[-1].new_accounts == sum(1 for d in first_line.values() if d in period)
        assert trend.overall[-1].period_revenue == sum(
            (_sum(book, pk, period.start, period.end) for pk in pks), D("0.00")
        )
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    "ranges, expected",
    [
        ([(date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30))], [8104, 8105]),
        ([(date(2025, 10, 1), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 3, 31))], [8103, 8104]),
        ([(date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 7, 1), date(2026, 9, 30))], None),  # a gap
        ([(date(2026, 1, 1), date(2026, 3, 30))], None),
        ([(date(2026, 2, 1), date(2026, 4, 30))], None),  # three months, not a quarter
        ([(parse_period("2026").start, parse_period("2026").end)], None),
    ],
)
def test_calendar_quarters(ranges, expected):
    assert grouped.calendar_quarters(ranges) == expected


def test_a_partial_month_is_read_as_the_month_minus_its_rest_when_that_is_shorter():
    # T12M at 2026-11-22: from the lines 2025-11-23..30 (8 days, not 1..22) and, for the end,
    # the rollup's November 2026 minus 2026-11-23..30 (the days after, rather than 22 days)
    plan = rollup._plan({"t12m": (date(2025, 11, 23), date(2026, 11, 22))}, None, True)
    assert plan.months == [(date(2025, 12, 1), date(2026, 11, 1))]
    assert plan.intervals == {
        (date(2025, 11, 23), date(2025, 11, 30)): [1],
        (date(2026, 11, 23), date(2026, 11, 30)): [-1],
    }
    # without the option (account_sums: which accounts come back matters) the lines are read
    plan = rollup._plan({"t12m": (date(2025, 11, 23), date(2026, 11, 22))}, None, False)
    assert plan.intervals == {
        (date(2025, 11, 23), date(2025, 11, 30)): [1],
        (date(2026, 11, 1), date(2026, 11, 22)): [1],
    }


def test_an_interval_read_anyway_serves_as_the_rest_of_another_month():
    ranges = {
        "t12m": (date(2025, 11, 23), date(2026, 11, 22)),
        "prev": (date(2024, 11, 23), date(2025, 11, 22)),
    }
    plan = rollup._plan(ranges, (date(2024, 11, 23), date(2026, 11, 22)), True)
    # the days' edges are read from the lines; prev's November 2025 is the rollup month minus
    # 2025-11-23..30, which T12M reads anyway
    assert plan.intervals == {
        (date(2024, 11, 23), date(2024, 11, 30)): [0, 1],
        (date(2026, 11, 1), date(2026, 11, 22)): [1, 0],
        (date(2025, 11, 23), date(2025, 11, 30)): [1, -1],
    }
    assert plan.months == [(date(2025, 12, 1), date(2026, 10, 1)), (date(2024, 12, 1), date(2025, 11, 1))]


def test_quarter_rows_hold_the_quarter_before_and_the_first(db):
    a = f.account("Q1")
    f.order(a, date(2025, 12, 31), "-5")  # the first line ever, a credit note
    f.order(a, date(2026, 2, 1), "100")
    f.order(a, date(2026, 3, 15), "20")
    f.order(a, date(2026, 8, 1), "7")
    revenue_rollup_refresh()
    from bookwise.retention.models import AccountQuarter

    rows = list(
        AccountQuarter.objects.filter(account=a)
        .order_by("quarter")
        .values_list("quarter", "revenue", "prev_revenue", "opens")
    )
    assert rows == [
        (8103, D("-5.00"), D("0.00"), True),  # 2025-Q4
        (8104, D("120.00"), D("-5.00"), False),
        (8105, D("0.00"), D("120.00"), False),  # the quarter after one with lines
        (8106, D("7.00"), D("0.00"), False),
        (8107, D("0.00"), D("7.00"), False),
    ]
