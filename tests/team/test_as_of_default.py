"""The team pages' as-of date follows the data (core.periods.default_as_of): a history that
stops in 2026-Q1 shows its scorecards at 2026-03-31; a date after today is refused."""

from __future__ import annotations

from datetime import date

import pytest

from tests.retention.helpers import book


@pytest.mark.django_db
def test_scorecards_default_to_the_data_and_refuse_the_future(org, admin_client):
    book(org)  # order lines up to 2026-03-31
    assert admin_client.get("/team/scorecards/").context["day"] == date(2026, 3, 31)
    assert admin_client.get("/team/signals/?date=2026-02-01").context["day"] == date(2026, 2, 1)
    future = admin_client.get("/team/focus/?date=2099-01-01", follow=True)
    assert future.context["day"] == date(2026, 3, 31)
    assert "Date: 2099-01-01 is after today" in future.content.decode()
    study = admin_client.get("/team/").context
    assert (study["start"], study["end"]) == (date(2025, 4, 1), date(2026, 3, 31))
