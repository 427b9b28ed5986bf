"""Hypothesis feeds nonsense to the agreements API writes (create, update): placeholders,
unparseable and far-off dates, negative and huge amounts, unknown ids, wrong types. Each
call answers 4xx with a message and changes nothing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookwise.agreements.models import Agreement
from bookwise.core.models import AuditEntry
from tests import factories
from tests.properties import examples
from tests.validation.test_api_nonsense import non_answers, unparseable_dates

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=examples(30), deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
GOOD = {"agreement_id": "AG-NEW", "account_id": "A1", "kind": "blanket", "start_date": "2026-01-01",
        "end_date": "2026-12-31", "committed_amount": "1000.00"}  # fmt: skip


@pytest.fixture
def world(org):
    a = factories.account("A1", owner=org["R1"])
    factories.agreement(a, "AG-1", owner=org["R1"])
    return org


def snapshot() -> tuple:
    rows = Agreement.objects.order_by("pk").values_list(
        "external_id", "status", "committed_amount", "end_date"
    )
    return list(rows), AuditEntry.objects.count()


def refused(client, url: str, payload: Any, method: str = "post") -> None:
    before = snapshot()
    response = getattr(client, method)(url, data=json.dumps(payload), content_type="application/json")
    assert 400 <= response.status_code < 500, (url, payload, response.status_code, response.content[:300])
    assert response.json().get("message", "").strip()
    assert snapshot() == before, (url, payload)


bad_amounts = st.one_of(
    st.sampled_from(["-1", "0", "1e30", "abc", "12.345", "", None]), st.integers(max_value=0)
)
bad_fields = st.one_of(
    st.fixed_dictionaries({"committed_amount": bad_amounts}),
    st.fixed_dictionaries({"start_date": unparseable_dates}),
    st.fixed_dictionaries({"end_date": st.sampled_from(["2025-01-01", "2099-12-31", "1900-01-01"])}),
    st.fixed_dictionaries({"kind": st.one_of(non_answers, st.sampled_from(["Blanket", "handshake"]))}),
    st.fixed_dictionaries({"price_terms": st.sampled_from(["-", ".", "n/a", "x", "tbd"])}),
    st.fixed_dictionaries({"notice_days": st.one_of(st.integers(max_value=-1), st.integers(min_value=366))}),
    st.fixed_dictionaries({"owner_id": st.sampled_from(["R999", "R3", "' OR 1=1 --"])}),
    st.fixed_dictionaries({"status": st.sampled_from(["expired", "renewed", "cancelled", "nonsense", ""])}),
    st.fixed_dictionaries({"account_id": st.sampled_from(["A999", "B1", ""])}),
    st.fixed_dictionaries({"agreement_id": st.sampled_from(["", " ", "a/b", "AG-1", "x" * 80])}),
)


@FUZZ
@given(bad_fields)
def test_create_refuses_nonsense(world, login, bad):
    refused(login(world["M1"]), "/api/agreements", {**GOOD, **bad})


@FUZZ
@given(
    bad_fields.filter(lambda d: not {"account_id", "agreement_id", "status"} & set(d))
    | st.fixed_dictionaries({"status": st.sampled_from(["expired", "nonsense", "", "draft"])})
)
def test_update_refuses_nonsense(world, login, bad):
    refused(login(world["M1"]), "/api/agreements/AG-1", bad, method="patch")


def test_update_refuses_a_backwards_status_and_strangers(world, login):
    refused(login(world["M1"]), "/api/agreements/AG-1", {"status": "draft"}, method="patch")
    refused(login(world["R3"]), "/api/agreements/AG-1", {"committed_amount": "5.00"}, method="patch")
    refused(login(world["R3"]), "/api/agreements", {**GOOD, "start_date": str(date(2026, 2, 1))})
