"""The industries' common product lines worked out from the whole book's purchases (what the
gap list does, one pass over the order lines) equal the grouped read of the order lines."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookwise.retention import selectors
from tests import factories as f
from tests.properties import examples

DAY = date(2026, 6, 30)
LINES = ["Consumables", "Equipment", "Service", ""]
accounts = st.lists(
    st.tuples(st.sampled_from(["Retail", "Energy", ""]), st.sampled_from(["active", "lost"])),
    min_size=1,
    max_size=8,
)
purchases = st.lists(
    st.tuples(st.integers(0, 7), st.sampled_from(LINES), st.integers(-500, 400), st.integers(0, 500)),
    max_size=30,
)


@pytest.mark.django_db
@settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(book=accounts, lines=purchases)
def test_common_lines_from_purchases_equal_the_grouped_read(book, lines):
    with transaction.atomic():
        made = [
            f.account(f"W{i}", industry=industry, status=status, lost_date=DAY if status == "lost" else None)
            for i, (industry, status) in enumerate(book)
        ]
        for i, line, cents, back in lines:
            if i < len(made):
                f.order(made[i], DAY - timedelta(days=back), str(cents / 100), product_line=line)
        start = date(2025, 7, 1)
        facts = [(a.pk, None, a.industry, a.status) for a in made]
        bought = selectors._lines_bought(start, DAY, None)
        assert selectors._common_lines_from(facts, bought) == selectors._common_lines_by_industry(start, DAY)
        transaction.set_rollback(True)
