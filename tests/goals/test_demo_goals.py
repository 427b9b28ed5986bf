"""The demo company has goals for the current year, split down to reps, with one left for
a manager to split (region North's NRR goal), and territories or reps off track."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bookwise.demo.builder import build_demo
from bookwise.goals import selectors
from bookwise.goals.figures import measuring
from bookwise.goals.models import Goal
from bookwise.goals.periods import goal_period
from bookwise.people.models import Rep

pytestmark = pytest.mark.django_db
FIVE = {"logo_retention", "grr", "nrr", "gp_growth", "new_accounts"}


def test_the_demo_has_this_years_goals_down_to_reps():
    today = timezone.localdate()
    build_demo(today=today, scale=0.05)
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
