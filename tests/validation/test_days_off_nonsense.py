"""Hypothesis feeds nonsense to the days-off API (the calendar of non-working days): each
call answers 4xx with a message and changes nothing, no day and no audit entry."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from bookwise.core.models import AuditEntry
from bookwise.team.models import NonWorkingDay
from tests import factories
from tests.validation.test_api_nonsense import non_answers, unparseable_dates
from tests.validation.test_api_nonsense_pins_and_plans import FUZZ

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world(org):
    """R1 is off today; today is also a holiday for everyone."""
    leave = NonWorkingDay.objects.create(date=TODAY, rep=org["R1"], reason="Annual leave")
    holiday = NonWorkingDay.objects.create(date=TODAY, reason="Public holiday")
    return {"org": org, "leave": leave, "holiday": holiday, "admin": factories.admin_user()}


def snapshot() -> tuple:
    return list(NonWorkingDay.objects.order_by("pk").values()), AuditEntry.objects.count()


def call(client, url: str, payload: Any, method: str) -> Any:
    if payload is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(payload), content_type="application/json")


def refused(client, url: str, payload: Any = None, method: str = "post") -> None:
    """A 4xx with a message, and not a day nor an audit entry more or less."""
    days_before = snapshot()
    answer = call(client, url, payload, method)
    said = answer.json().get("message", "") if 400 <= answer.status_code < 500 else ""
    assert isinstance(said, str) and said.strip(), (url, payload, answer.status_code, answer.content[:300])
    assert snapshot() == days_before, (url, payload)


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


far = st.one_of(
    st.integers(min_value=5 * 366, max_value=300_000), st.integers(min_value=-300_000, max_value=-5 * 366)
)


@FUZZ
@given(when=unparseable_dates, offset=far)
def test_entering_refuses_dates_that_are_not_or_far_off(world, login, when, offset):
    """No date, a date that is none, 2099 and the like; an end before the start or far off."""
    m1 = login(world["org"]["M1"])
    refused(m1, "/api/days-off", {"date": when, "rep_id": "R2", "reason": "Leave"})
    refused(m1, "/api/days-off", {"date": day(1), "end": when, "rep_id": "R2", "reason": "Leave"})
    refused(m1, "/api/days-off", {"date": "2099-01-01", "rep_id": "R2", "reason": "Leave"})
    refused(m1, "/api/days-off", {"date": day(offset), "rep_id": "R2", "reason": "Leave"})
    refused(m1, "/api/days-off", {"date": day(3), "end": day(3 - abs(offset) % 30 - 1), "rep_id": "R2",
                                  "reason": "Leave"})  # fmt: skip
    refused(m1, "/api/days-off", {"date": day(-400), "end": day(400), "rep_id": "R2", "reason": "Leave"})


unknown_ids = st.one_of(non_answers, st.sampled_from(["R999", "r1", "R1 ", "' OR 1=1 --", "R3"]))


@FUZZ
@given(reason=non_answers, rep_id=unknown_ids)
def test_entering_refuses_no_reason_a_rep_out_of_reach_and_a_day_already_off(world, login, reason, rep_id):
    m1 = login(world["org"]["M1"])
    refused(m1, "/api/days-off", {"date": day(2), "rep_id": "R2", "reason": reason})
    refused(m1, "/api/days-off", {"date": day(2), "rep_id": rep_id, "reason": "Leave"})
    refused(m1, "/api/days-off", {"date": day(-1), "end": day(1), "rep_id": "R1", "reason": "Leave"})
    refused(m1, "/api/days-off", {"date": day(0), "reason": "Company day"})  # not an admin
    refused(login(world["admin"]), "/api/days-off", {"date": day(0), "reason": "Company day"})  # already


@FUZZ
@given(ref=st.one_of(st.integers(min_value=10**6, max_value=2**70), st.integers(max_value=0), non_answers))
def test_removing_refuses_unknown_days_and_days_out_of_reach(world, login, ref):
    m2 = login(world["org"]["M2"])
    refused(m2, f"/api/days-off/{ref}".replace("#", "%23").replace("?", "%3F"), method="delete")
    refused(m2, f"/api/days-off/{world['leave'].pk}", method="delete")  # R1 is not M2's
    refused(m2, f"/api/days-off/{world['holiday'].pk}", method="delete")  # admins only
