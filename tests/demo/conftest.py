from datetime import date

import pytest

from bookwise.demo.builder import build_demo

TODAY = date(2026, 3, 31)  # a month end: next month is shorter, history starts in a 31-day month
SCALE = 0.05


@pytest.fixture
def demo(db):
    """The demo company at 5 % scale (100 accounts), anchored on TODAY."""
    return build_demo(today=TODAY, scale=SCALE)
