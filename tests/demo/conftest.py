from datetime import date

import pytest
from django.contrib.auth import get_user_model

from bookwise.demo.builder import build_demo, wipe_book

TODAY = date(2026, 3, 31)  # a month end: next month is shorter, history starts in a 31-day month
SCALE = 0.05


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The demo company at 5 % scale (100 accounts), anchored on TODAY, built once per
    module (committed); each test still runs in its own rolled-back transaction."""
    with django_db_blocker.unblock():
        summary = build_demo(today=TODAY, scale=SCALE)
    yield summary
    with django_db_blocker.unblock():
        wipe_book()
        get_user_model().objects.filter(username__in=("admin", "ops1")).delete()


@pytest.fixture
def demo(demo_module, db):
    return demo_module
