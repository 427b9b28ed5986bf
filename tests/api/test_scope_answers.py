"""Ids outside the caller's scope answer exactly as ids that do not exist (status and body),
so no id can be enumerated through the API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PAIRS = [  # (another team's, unknown), as M1 (team R1, R2)
    ("/api/reps/{}", "R3", "R99"),
    ("/api/reps/{}/scorecard", "R3", "R99"),
    ("/api/reps/{}/signals", "R3", "R99"),
    ("/api/reps/{}/assessments", "R3", "R99"),
    ("/api/teams/{}/time-study", "M2", "M99"),
    ("/api/accounts/{}", "A3", "A99"),
    ("/api/accounts/{}/orders", "A3", "A99"),
    ("/api/accounts/{}/owners", "A3", "A99"),
    ("/api/accounts/{}/recommendations", "A3", "A99"),
    ("/api/accounts/{}/plans", "A3", "A99"),
]


@pytest.mark.parametrize("url, other, unknown", PAIRS)
def test_another_teams_id_answers_as_an_unknown_one(book, org, login, url, other, unknown):
    client = login(org["M1"])
    hidden, missing = client.get(url.format(other)), client.get(url.format(unknown))
    assert hidden.status_code == missing.status_code == 404, (hidden.content, missing.content)
    assert hidden.json() == missing.json()
