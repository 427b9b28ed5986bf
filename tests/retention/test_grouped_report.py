"""retention_report sums every figure in the database (grouped.period_figures): held to the
plain METRICS.md reference worked out in Python from the order lines, for every grouping,
whole and partial periods, fresh and stale rollups, the whole book and a manager's scope."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookwise.core.dates import custom_period, parse_period
from bookwise.retention import metrics
from bookwise.retention.reports import retention_report
from bookwise.retention.services import revenue_rollup_refresh
from tests import factories as f
from tests.properties import examples

ACCOUNTS = 6
TERRITORIES = [("North", "East"), ("South", "East"), ("West", "West"), None]
PERIODS = [parse_period("2025"), parse_period("2025-Q3"), parse_period("2025-08")]
lines = st.lists(
    st.tuples(st.integers(0, ACCOUNTS - 1), st.integers(0, 900), st.integers(-3000, 20000)), max_size=30
)
places = st.lists(st.integers(0, len(TERRITORIES) - 1), min_size=ACCOUNTS, max_size=ACCOUNTS)
# owner of each account: nobody, or R1..R4 (one of them) with a change of hands on a day
owners = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(-40, 40)),
    min_size=ACCOUNTS,
    max_size=ACCOUNTS,
)
FIRST = date(2023, 9, 1)


def _reference(book, territory_of, owner_of, period, by, visible):
    prev = period.previous()
    rows = []
    for pk in visible:
        mine = [(d, c) for a, d, c in book if a == pk]
        rev_p = sum((D(c) / 100 for d, c in mine if d in period), D("0.00"))
        rev_prev = sum((D(c) / 100 for d, c in mine if d in prev), D("0.00"))
        new = bool(mine) and min(d for d, _ in mine) in period
        place = territory_of[pk]
        group = {
            "territory": place and place[0],
            "region": place and place[1],
            "rep": owner_of(pk, period.start),
            "overall": "overall",
        }[by]
        rows.append(metrics.AccountPeriods(pk, group, rev_p, rev_prev, new))
    return {g: vars(x) | {"lost_keys": []} for g, x in metrics.retention_by_group(rows).items()}


def _make_book(org, book_lines, where, hands):
    """Accounts P0..P5 in their territories, owned by nobody or R1..R4 with a change of hands
    around 2025-07-01, and their order lines: (book, territory_of, owner_of, spans)."""
    reps = [None, org["R1"], org["R2"], org["R3"], org["R4"]]
    territories = [t and f.territory(*t) for t in TERRITORIES]
    accounts, territory_of, spans = [], {}, {}
    for i in range(ACCOUNTS):
        a = f.account(f"P{i}", territory=territories[where[i]])
        before, after, shift = hands[i]
        change = date(2025, 7, 1) + timedelta(days=shift)
        spans[a.pk] = [
            (reps[before], date(2020, 1, 1), change - timedelta(days=1)),
            (reps[after], change, None),
        ]
        for rep, start, end in spans[a.pk]:
            if rep is not None:
                f.own(a, rep, start, end)
        accounts.append(a)
        territory_of[a.pk] = TERRITORIES[where[i]]
    book = [(accounts[i].pk, FIRST + timedelta(days=back), cents) for i, back, cents in book_lines]
    by_pk = {a.pk: a for a in accounts}
    for pk, d, c in book:
        f.order(by_pk[pk], d, str(D(c) / 100))

    def owner_of(pk, day):
        found = [rep for rep, start, end in spans[pk] if start <= day and (end is None or day <= end)]
        return found[0].external_id if found and found[0] else None

    return book, territory_of, owner_of, spans


@pytest.mark.django_db
@settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(book_lines=lines, where=places, hands=owners, fresh=st.booleans(), cut=st.integers(-20, 20))
def test_grouped_report_equals_the_plain_reference(org, book_lines, where, hands, fresh, cut):
    with transaction.atomic():
        book, territory_of, owner_of, spans = _make_book(org, book_lines, where, hands)
        if fresh:
            revenue_rollup_refresh()
        custom = custom_period(
            date(2025, 3, 1) + timedelta(days=cut), date(2025, 9, 10) + timedelta(days=cut)
        )
        everyone = sorted(spans)
        team = {
            pk for pk in everyone if any(r in (org["R3"], org["R4"]) for r, _, e in spans[pk] if e is None)
        }
        for period in [*PERIODS, custom]:
            for by in ("territory", "region", "rep", "overall"):
                found = {g.group: vars(g) for g in retention_report(period=period, by=by)}
                assert found == _reference(book, territory_of, owner_of, period, by, everyone), (period, by)
            scoped = {
                g.group: vars(g) for g in retention_report(period=period, by="rep", user=org["M2"].user)
            }
            assert scoped == _reference(book, territory_of, owner_of, period, "rep", sorted(team))
        transaction.set_rollback(True)
