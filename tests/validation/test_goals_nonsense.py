"""Hypothesis feeds nonsense to the goals API: targets that are not numbers, negative, too
precise or beyond what a figure can reach; unknown periods, figures, nodes and methods;
by-hand splits that do not add up. Each call answers 4xx with a message and changes nothing
(no goal, no audit entry)."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookwise.core.models import AuditEntry
from bookwise.goals import services
from bookwise.goals.models import Goal
from tests import factories
from tests.properties import examples

pytestmark = pytest.mark.django_db
YEAR = str(timezone.localdate().year)
FUZZ = settings(
    max_examples=examples(30),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

junk = st.one_of(
    st.sampled_from(["", " ", "-", ".", "n/a", "½", "1e999", "NaN", "Infinity", "12 %%", "1,2,3", "105%%"]),
    st.text(max_size=12).filter(lambda t: t.strip().rstrip("%").replace(".", "", 1).isdigit() is False),
    st.floats(max_value=-0.0001),
    st.integers(max_value=-1),
    st.integers(min_value=10**13),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.none(),
)


@pytest.fixture
def world(org):
    factories.account("G1", owner=org["R1"], territory=org["R1"].territory)
    services.goal_set(figure_key="gp_growth", period_label=YEAR, target="1000", actor=None)
    return org


def refused(client, path: str, body, method: str = "post") -> None:
    goals, audits = (
        list(Goal.objects.values_list("id", "target_units", "split_method")),
        AuditEntry.objects.count(),
    )
    answer = getattr(client, method)(path, data=json.dumps(body), content_type="application/json")
    assert 400 <= answer.status_code < 500, (path, body, answer.status_code, answer.content)
    assert answer.json()["message"], answer.content
    assert list(Goal.objects.values_list("id", "target_units", "split_method")) == goals
    assert AuditEntry.objects.count() == audits


@FUZZ
@given(target=junk, figure=st.sampled_from(["logo_retention", "grr", "nrr", "new_accounts", "gp_growth"]))
def test_setting_a_goal_refuses_nonsense_targets(world, login, target, figure):
    refused(login(world["D1"]), f"/api/goals/{YEAR}/{figure}", {"target": target}, "put")


@FUZZ
@given(
    period=st.one_of(
        st.sampled_from(["2099", "1999", "2026-Q5", "2026-13", "soon", "0"]),
        st.text(alphabet="0123456789-Q", min_size=1, max_size=8).filter(
            lambda p: p not in {YEAR} and not p.startswith(YEAR)
        ),
    ),
    figure=st.sampled_from(["nrr", "revenue", "NRR", "-"]),
)
def test_unknown_periods_and_figures_are_refused(world, login, period, figure):
    refused(login(world["D1"]), f"/api/goals/{period}/{figure}", {"target": "1.0"}, "put")


@FUZZ
@given(
    node=st.one_of(
        st.sampled_from(["", "-", "region:Mars", "rep:NOPE", "territory:", "COMPANY"]), st.text(max_size=20)
    ),
    method=st.sampled_from(["even", "last_year", "hand"]),
)
def test_splitting_an_unknown_node_is_refused(world, login, node, method):
    if node.strip() == "company":
        return
    refused(login(world["D1"]), f"/api/goals/{YEAR}/gp_growth/split", {"node": node, "method": method})


@FUZZ
@given(
    method=st.one_of(st.text(max_size=10).filter(lambda m: m not in {"even", "last_year", "hand"}), junk),
    east=junk,
    west=st.one_of(junk, st.just("1")),
)
def test_a_split_that_does_not_add_up_or_a_bad_method_is_refused(world, login, method, east, west):
    d1 = login(world["D1"])
    refused(d1, f"/api/goals/{YEAR}/gp_growth/split", {"node": "company", "method": method})
    body = {"node": "company", "method": "hand", "targets": {"region:East": east, "region:West": west}}
    refused(d1, f"/api/goals/{YEAR}/gp_growth/split", body)
    body = {"node": "company", "method": "hand", "targets": {"region:East": "600", "region:West": "300"}}
    refused(d1, f"/api/goals/{YEAR}/gp_growth/split", body)
