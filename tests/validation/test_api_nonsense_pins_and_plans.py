"""Hypothesis feeds nonsense to the API writes the other nonsense suites leave out: tier pins
and reassignment plans (propose, move or remove a line, discard, apply). Each call answers
4xx with a message and changes nothing; a guard fails when the API grows a write that no
nonsense suite names."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookwise.config.api import api
from bookwise.core.models import AuditEntry
from bookwise.retention.models import TierPin
from bookwise.transfers import planning
from bookwise.transfers.models import TRANSFER_REASONS, PlanLine, ReassignmentPlan, Transfer
from tests import factories
from tests.properties import examples
from tests.validation.test_api_nonsense import non_answers, unparseable_dates

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FUZZ = settings(
    max_examples=examples(30),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world(org):
    """R1 leaves with two accounts; M1 (R1's manager) has a draft plan for them."""
    org["R1"].end_date = TODAY + timedelta(days=10)
    org["R1"].save()
    for i in range(2):
        factories.account(f"B{i}", owner=org["R1"], territory=org["R1"].territory)
    plan = planning.plan_create(
        from_rep=org["R1"], actor=org["M1"].user, day=TODAY, effective_date=TODAY + timedelta(days=11)
    )
    return {"org": org, "plan": plan, "admin": factories.admin_user()}


def snapshot() -> tuple:
    return (
        list(TierPin.objects.order_by("pk").values()),
        list(ReassignmentPlan.objects.order_by("pk").values_list("pk", "state", "feasible")),
        list(PlanLine.objects.order_by("pk").values_list("pk", "to_rep_id")),
        Transfer.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(client, url: str, payload: Any = None, method: str = "post") -> None:
    before = snapshot()
    body = {} if payload is None else {"data": json.dumps(payload), "content_type": "application/json"}
    response = getattr(client, method)(url, **body)
    assert 400 <= response.status_code < 500, (url, payload, response.status_code, response.content[:300])
    message = response.json().get("message", "")
    assert isinstance(message, str) and message.strip(), response.content
    assert snapshot() == before, (url, payload)


not_a_tier = st.one_of(
    non_answers.filter(lambda text: text not in ("A", "B", "C")),  # its short words may spell one
    st.sampled_from(["a", "D", "AA", "Z", "tier A"]),
    st.integers(),
    st.none(),
    st.booleans(),
)
unknown_ids = st.one_of(non_answers, st.sampled_from(["R999", "r1", "R1 ", "' OR 1=1 --", "%00"]))


@FUZZ
@given(tier=not_a_tier, note=st.one_of(st.just(""), st.text(max_size=5)))
def test_pin_refuses_a_tier_that_is_not_one(world, login, tier, note):
    refused(login(world["admin"]), "/api/retention/tier-pins/B0", {"tier": tier, "note": note}, "put")


@FUZZ
@given(account=unknown_ids.filter(lambda a: "/" not in a and a.strip() not in {"B0", "B1"}))
def test_pin_and_unpin_refuse_an_unknown_account(world, login, account):
    admin = login(world["admin"])
    if not account.strip() or "?" in account or "#" in account:
        return  # not a path segment: another URL, not this endpoint
    refused(admin, f"/api/retention/tier-pins/{account}", {"tier": "A"}, "put")
    refused(admin, f"/api/retention/tier-pins/{account}", method="delete")


bad_plan = st.one_of(
    st.tuples(st.just("effective_date"), unparseable_dates),
    st.tuples(
        st.just("effective_date"),
        st.one_of(
            st.dates(max_value=TODAY - timedelta(days=400)), st.dates(min_value=TODAY + timedelta(days=400))
        ).map(lambda d: d.isoformat()),
    ),
    st.tuples(
        st.just("reason"),
        st.one_of(non_answers, st.text(max_size=30).filter(lambda r: r not in dict(TRANSFER_REASONS))),
    ),
    st.tuples(st.just("from_rep"), unknown_ids),
)


@FUZZ
@given(bad=bad_plan)
def test_proposing_a_plan_refuses_nonsense(world, login, bad):
    name, value = bad
    effective = (TODAY + timedelta(days=11)).isoformat()
    valid = {"from_rep": "R1", "effective_date": effective, "reason": "departure"}
    refused(login(world["org"]["M1"]), "/api/transfers/plans", {**valid, name: value})


@FUZZ
@given(to=unknown_ids.filter(lambda t: t.strip() != ""), which=st.sampled_from(["line", "plan"]))
def test_editing_a_plan_refuses_unknown_reps_lines_and_plans(world, login, to, which):
    m1, plan = login(world["org"]["M1"]), world["plan"]
    if which == "line":
        refused(m1, f"/api/transfers/plans/{plan.pk}/lines/B0", {"to": to}, "put")
    else:
        refused(m1, f"/api/transfers/plans/{plan.pk + 1000}/lines/B0", {"to": "R2"}, "put")
        refused(m1, f"/api/transfers/plans/{plan.pk + 1000}/lines/B0", method="delete")
        refused(m1, f"/api/transfers/plans/{plan.pk + 1000}/discard")
        refused(m1, f"/api/transfers/plans/{plan.pk + 1000}/apply")


def test_a_discarded_plan_cannot_be_applied_nor_edited(world, login):
    m1, plan = login(world["org"]["M1"]), world["plan"]
    assert login(world["org"]["M1"]).post(f"/api/transfers/plans/{plan.pk}/discard").status_code == 200
    refused(m1, f"/api/transfers/plans/{plan.pk}/apply")
    refused(m1, f"/api/transfers/plans/{plan.pk}/lines/B0", {"to": "R2"}, "put")
    refused(m1, f"/api/transfers/plans/{plan.pk}/lines/B1", method="delete")


@FUZZ
@given(ref=st.one_of(st.integers(min_value=10**6, max_value=2**70), st.integers(max_value=0)))
def test_state_steps_refuse_unknown_ids(world, login, ref):
    """Steps without a body (hand-off, submit, approve) take only an id: an unknown one is a
    4xx naming nothing, never a 500 (the integer fits the database whatever its size)."""
    m1 = login(world["org"]["M1"])
    refused(m1, f"/api/transfers/{ref}/handoff")
    refused(m1, f"/api/plans/{ref}/submit")
    refused(m1, f"/api/plans/{ref}/approve")


def test_every_api_write_with_a_body_or_a_path_is_fed_nonsense_somewhere():
    """The nonsense suites of tests/validation name every write path of the API (a new
    endpoint must be added to one of them)."""
    suites = "".join(p.read_text() for p in Path(__file__).parent.glob("test_*nonsense*.py"))
    suites += "".join(p.read_text() for p in Path(__file__).parent.glob("test_*regressions*.py"))
    schema = api.get_openapi_schema()
    missing = []
    for path, operations in schema["paths"].items():
        if not {"post", "put", "patch", "delete"} & set(operations):
            continue
        pattern = re.escape(path.removeprefix("/api")).replace(r"\{", "{").replace(r"\}", "}")
        pattern = re.sub(r"\{[^}]+\}", r"[^\"/]+", pattern)
        if not re.search(pattern + r"[\"?]", suites):
            missing.append(path)
    assert not missing, f"API writes that no nonsense suite feeds: {missing}"
