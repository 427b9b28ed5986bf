from datetime import date

import pytest

from tests import snapshots

TODAY = date(2026, 3, 31)  # a month end: next month is shorter, history starts in a 31-day month
SCALE = 0.05


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The demo company at 5 % scale (100 accounts), anchored on TODAY, put in once per
    module (committed; built once per test process, tests/snapshots.py); each test still
    runs in its own rolled-back transaction."""
    with snapshots.demo_for_a_module(TODAY, SCALE, django_db_blocker) as summary:
        yield summary


@pytest.fixture
def demo(demo_module, db):
    return demo_module
