"""A manager hands an account only to a rep of their own team (all levels). Another team's
rep gets the answer an unknown id gets, through the API and the page, so a manager learns
neither who is on another team nor their load; a director or an admin hands across teams."""

from __future__ import annotations

import pytest

from bookwise.transfers.models import Transfer
from tests import factories as f

from .helpers import EFFECTIVE, book

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org):
    account = book(org)  # ACME, owned by R1 of M1's team
    org["R3"].capacity = 0  # any check of R3's load would refuse, naming the points
    org["R3"].save()
    return org, account


def draft(client, to: str):
    body = {"account_id": "ACME", "to": to, "effective_date": EFFECTIVE.isoformat(), "reason": "rebalance"}
    return client.post("/api/transfers", body, content_type="application/json")


def test_another_teams_rep_is_answered_as_an_unknown_id(world, login):
    org, _ = world
    client = login(org["M1"])
    other, unknown = draft(client, "R3"), draft(client, "R99")
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json() == {"message": "No such rep.", "extra": {"field": "to"}}
    assert not Transfer.objects.exists()


def test_the_page_answers_the_same_for_both(world, login):
    org, _ = world
    client = login(org["M1"])
    form = {"effective_date": EFFECTIVE.isoformat(), "reason": "rebalance", "co_coverage_days": ""}
    pages = [client.post("/transfers/new/ACME/", {**form, "to": to}).content.decode() for to in ("R3", "R99")]
    for page, to in zip(pages, ("R3", "R99"), strict=True):  # the picker's words, the same for both
        assert f"no rep called &#x27;{to}&#x27;" in page and "capacity" not in page and "Rep R3" not in page
    assert not Transfer.objects.exists()


def test_a_rep_of_the_managers_own_team_is_checked_as_before(world, login):
    org, _ = world
    org["R2"].capacity = 0
    org["R2"].save()
    answer = draft(login(org["M1"]), "R2")
    assert answer.status_code == 422 and "would be over capacity" in answer.json()["message"]


@pytest.mark.parametrize("who", ["D1", "admin"])
def test_a_director_or_an_admin_hands_across_teams(world, login, who):
    org, _ = world
    org["R3"].capacity = 100
    org["R3"].save()
    user = f.admin_user() if who == "admin" else org[who]
    answer = draft(login(user), "R3")
    assert answer.status_code == 201, answer.content
    assert Transfer.objects.get().to_rep == org["R3"]


def test_a_plan_line_given_to_another_teams_rep_reads_as_an_unknown_rep(org, login):
    """The reassignment plan's page: another team's (leaving) rep is answered as an unknown id,
    without their name or leaving date."""
    from datetime import timedelta

    from django.utils import timezone

    from bookwise.transfers.models import ReassignmentPlan

    account = f.account("B0", owner=org["R1"], territory=org["R1"].territory)
    org["R3"].end_date = timezone.localdate() + timedelta(days=40)
    org["R3"].save()
    client = login(org["M1"])
    effective = f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}"
    client.post("/transfers/plans/new/R1/", {"effective_date": effective, "reason": "departure"})
    plan = ReassignmentPlan.objects.get()
    line = plan.lines.get(account=account)
    pages = [
        client.post(f"/transfers/plans/{plan.pk}/lines/{line.pk}/", {"to": to}, follow=True).content.decode()
        for to in ("R3", "R99")
    ]
    for page in pages:
        assert "Pick the rep who takes the account" in page and "Rep R3" not in page
    line.refresh_from_db()
    assert line.to_rep != org["R3"]


def test_a_rep_learns_nothing_about_rep_ids_when_starting_a_transfer(world, login):
    """A rep may not start a transfer: 403, whether the incoming rep exists or not."""
    org, _ = world
    client = login(org["R1"])
    answers = [draft(client, to) for to in ("R2", "R3", "R99")]
    assert {a.status_code for a in answers} == {403}
    assert len({a.content for a in answers}) == 1
