"""The demo company has goals for the current year, split down to reps, with one left for
a manager to split (region North's NRR goal), and territories or reps off track."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bookwise.goals import selectors
from bookwise.goals.figures import measuring
from bookwise.goals.models import Goal
from bookwise.goals.overview import overview
from bookwise.goals.periods import goal_period
from bookwise.goals.tree import tree_for
from bookwise.people.models import Rep
from tests import snapshots

pytestmark = pytest.mark.django_db
FIVE = {"logo_retention", "grr", "nrr", "gp_growth", "new_accounts"}


@pytest.fixture(scope="module", autouse=True)
def demo_today(django_db_setup, django_db_blocker):
    """The demo company anchored on today (the goals are this year's)."""
    with snapshots.demo_for_a_module(timezone.localdate(), 0.05, django_db_blocker) as summary:
        yield summary


def test_the_demo_has_this_years_goals_down_to_reps():
    today = timezone.localdate()
    label = str(today.year)
    goals = Goal.objects.filter(period=label)
    assert {g.figure for g in goals.filter(level="company")} >= FIVE
    assert goals.filter(level="rep").exists()
    north = goals.get(figure="nrr", level="region", region__name="North")
    assert north.split_method == ""  # left for Helena (SM1) to split
    director = Rep.objects.get(external_id="DIR1").user
    with measuring():
        period = goal_period(label, today)
        rows = selectors.visible_standings(user=director, period=period, day=today, with_checks=True)
        late = selectors.off_track(user=director, period=period, day=today)
    split = [s for s in rows if s.consistency is not None]
    assert split and all(s.consistency.consistent for s in split)
    assert late, "no territory or rep off track in the demo"


def test_a_goal_page_without_a_node_shows_the_users_own_part(client):
    """/goals/YEAR/FIGURE/ with no ?node= opens the user's own part of the organisation (the
    company for a director, the region a manager leads, a rep's own goal), not a 404."""
    today = timezone.localdate()
    expected = {"dir1": "The company", "sm1": "North", "r03": Rep.objects.get(external_id="R03").name}
    for username, own in expected.items():
        client.force_login(Rep.objects.get(external_id=username.upper()).user)
        for figure in ("logo_retention", "grr", "gp_growth", "new_accounts"):
            page = client.get(f"/goals/{today.year}/{figure}/")
            assert page.status_code == 200, (username, figure, page.status_code)
            assert own in page.content.decode(), (username, figure)


def test_the_overview_puts_every_rep_under_their_team_and_only_for_more_than_one_team():
    """The goals page's overview (goals.overview): a line per company, region and territory
    with a cell per figure; each territory's reps under it; none for a rep (one team)."""
    today = timezone.localdate()
    period = goal_period(str(today.year), today)
    tree = tree_for(period)
    with measuring():
        users = {who: Rep.objects.get(external_id=who).user for who in ("DIR1", "SM1", "R03")}
        seen = {w: selectors.visible_standings(user=u, period=period, day=today) for w, u in users.items()}
    glance = overview(seen["DIR1"], tree)
    assert glance is not None and glance.figures[:2] == ["Logo retention", "GRR"]
    assert [line.level for line in glance.lines[:2]] == ["company", "region"]
    assert all(len(line.cells) == len(glance.figures) for line in glance.lines)
    reps = {line.key for team in glance.teams for line in team.reps}
    assert reps == {s.key for s in seen["DIR1"] if s.level == "rep"}
    for team in glance.teams:
        assert all(tree.parent(line.key) == team.line.key for line in team.reps)
    assert sum(t.off_track for t in glance.teams) == sum(
        1 for s in seen["DIR1"] if s.level == "rep" and s.status == "off_track"
    )
    north = overview(seen["SM1"], tree)
    assert north is not None and {t.region for t in north.teams} == {"North"}
    assert overview(seen["R03"], tree) is None
