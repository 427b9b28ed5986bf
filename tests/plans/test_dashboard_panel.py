"""The plans panel on the home page: overdue reviews of the user's scope, nobody else's."""

from datetime import date

import pytest

from .helpers import approved, book

pytestmark = pytest.mark.django_db


def test_overdue_reviews_show_on_the_owner_and_managers_home_only(org, login):
    a1, _, _ = book(org)
    approved(a1, org["M1"].user, on=date(2026, 1, 31))  # monthly reviews, none recorded
    for who in ("R1", "M1", "D1"):
        page = login(org[who]).get("/").content.decode()
        assert 'id="panel-plans-overdue"' in page and a1.name in page, who
    other = login(org["R3"]).get("/").content.decode()
    assert 'id="panel-plans-overdue"' in other and a1.name not in other
    assert "No plan review is overdue." in other
