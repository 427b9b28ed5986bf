"""Two builds on the same day write identical books; another day moves the dates."""

from __future__ import annotations

from datetime import timedelta

from bookwise.accounts.models import Account
from bookwise.demo.builder import build_demo, wipe_book
from bookwise.people.models import Rep
from tests.demo.checksum import book_checksum

from .conftest import SCALE, TODAY


def test_two_builds_on_the_same_day_are_identical(demo):
    """`demo` is a build made earlier in this process, copied in (tests/snapshots.py)."""
    first = book_checksum()
    wipe_book()
    assert not Account.objects.exists() and not Rep.objects.exists()
    build_demo(today=TODAY, scale=SCALE)
    assert book_checksum() == first
    wipe_book()
    build_demo(today=TODAY + timedelta(days=1), scale=SCALE)
    assert book_checksum() != first
