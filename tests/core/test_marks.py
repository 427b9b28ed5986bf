"""core.marks: the signs of change read in one statement equal what the ORM reads, on SQLite
and PostgreSQL, and a change of each shows."""

from datetime import date

import pytest
from django.db.models import Count, Max

from bookwise.accounts import line_rollups
from bookwise.accounts.models import Account, OrderLine
from bookwise.core import marks
from bookwise.retention import refresh, selectors
from bookwise.retention.models import RollupState, TierPin
from tests import factories

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 30)


@pytest.fixture
def lines():
    a1, a2 = factories.account("A1"), factories.account("A2")
    factories.order(a1, date(2026, 3, 1), "100.00")
    factories.order(a2, date(2026, 4, 1), "50.00")
    return a1


def test_the_marks_equal_the_orm_aggregates(lines):
    top, accounts, pins, state = marks.read(
        marks.highest(OrderLine),
        marks.count(Account),
        marks.count(TierPin),
        marks.value_of_row_one(RollupState, "max_line_id"),
    )
    assert top == OrderLine.objects.aggregate(m=Max("id"))["m"]
    assert accounts == Account.objects.aggregate(n=Count("id"))["n"] == 2
    assert pins == 0 and state is None  # no state row before the first refresh


def test_a_new_line_makes_the_rollup_stale_and_moves_the_fingerprints(lines):
    refresh.ensure_fresh()
    assert line_rollups.is_fresh(RollupState)
    fingerprint, version = selectors._tier_fingerprint(DAY), selectors.book_version()
    factories.order(lines, date(2026, 3, 2), "1.00")
    assert not line_rollups.is_fresh(RollupState)
    assert selectors._tier_fingerprint(DAY) != fingerprint
    assert selectors.book_version() != version


def test_a_pin_moves_the_fingerprints(lines):
    fingerprint, version = selectors._tier_fingerprint(DAY), selectors.book_version()
    TierPin.objects.create(account=lines, tier="A", note="strategic")
    assert selectors._tier_fingerprint(DAY) != fingerprint
    assert selectors.book_version() != version


def test_a_name_that_is_no_column_is_refused():
    with pytest.raises(TypeError, match="is not a column"):
        marks.highest(Account, "ownerships")
