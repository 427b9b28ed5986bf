"""The home page's goals panel is kept between requests (most of the home page's time) and
is computed again as soon as anything it reads changes: here a goal's target."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookwise.goals import services

from .helpers import book

pytestmark = pytest.mark.django_db


def _new_accounts_target(html: str) -> str:
    row = re.search(r"New accounts</a> · The company</td><td class=\"num\">([^<]*)</td>", html)
    assert row, "no company new-accounts row in the goals panel"
    return row.group(1)


def _goal_rows_read(queries: CaptureQueriesContext) -> bool:
    return any(q["sql"].startswith('SELECT "goals_goal"."id"') for q in queries.captured_queries)


def test_the_goals_panel_is_kept_until_a_goal_changes(org, login):
    book(org)
    year = str(timezone.localdate().year)
    director = org["D1"].user
    services.goal_set(figure_key="new_accounts", period_label=year, target="5", actor=director)
    client = login(director)
    with CaptureQueriesContext(connection) as first:
        assert _new_accounts_target(client.get("/").content.decode()) == "5"
    with CaptureQueriesContext(connection) as again:
        assert _new_accounts_target(client.get("/").content.decode()) == "5"
    assert _goal_rows_read(first)
    assert not _goal_rows_read(again)  # only the sign of change was read: the standings were kept
    services.goal_set(figure_key="new_accounts", period_label=year, target="7", actor=director)
    assert _new_accounts_target(client.get("/").content.decode()) == "7"
