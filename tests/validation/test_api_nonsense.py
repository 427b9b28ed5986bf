"""Hypothesis feeds nonsense to every API write of the transfer workflow, the interview and
the lost reasons: dates far in the past or future, negative and huge numbers, ".", "-",
empty strings, unicode junk, values of the wrong type. Each call must answer 4xx with a
message, and the database must not change (Django's test client; the live-server suite runs
the same writes over HTTP)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookwise.accounts.models import Account, LostReason, Ownership
from bookwise.core.models import AuditEntry
from bookwise.transfers import services
from bookwise.transfers.models import TRANSFER_REASONS, HandoffInterview, Transfer
from tests import factories
from tests.properties import examples
from tests.transfers.helpers import SECTIONS, book, draft, introduced

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FUZZ = settings(
    max_examples=examples(40),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- nonsense -------------------------------------------------------------------------------

placeholders = st.sampled_from(
    ["", " ", ".", "-", "x", "X", "xx", "n/a", "N/A", "tbd", "?", "...", "—", "\t\n"]
)
unicode_junk = st.text(
    alphabet=st.characters(categories=["Po", "Pd", "Ps", "Pe", "Sm", "So", "Sc", "Zs", "Cc"]), max_size=40
)
short_words = st.text(alphabet=st.characters(categories=["Ll", "Lu"]), max_size=2)
non_answers = st.one_of(placeholders, unicode_junk, short_words)
unparseable_dates = st.one_of(
    st.sampled_from(["", "yesterday", "2026-13-01", "2026-02-30", "0000-00-00", "31/12/2026", "-1"]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)
huge_or_negative = st.one_of(
    st.integers(max_value=-1), st.integers(min_value=366), st.just(10**30), st.just(-(10**30))
)
not_whole_numbers = st.one_of(
    st.sampled_from(["abc", "", "1e9", "½", "12 days"]),
    st.floats(min_value=0.1, max_value=364.9).filter(lambda v: v != int(v)),
)


def iso(d: st.SearchStrategy[date]) -> st.SearchStrategy[str]:
    return d.map(date.isoformat)


def future(days: int = 1) -> st.SearchStrategy[date]:
    return st.dates(min_value=TODAY + timedelta(days=days))


def past(before: date) -> st.SearchStrategy[date]:
    return st.dates(max_value=before - timedelta(days=1))


# --- the world and what must not change -----------------------------------------------------


@pytest.fixture
def world(org):
    """ACME without a transfer; T1 in handoff with its interview answered; T2 a draft; T3
    introduced but back-dated beyond the window; L1 a customer since 2024 (first order
    2024-02-01)."""
    book(org)
    in_handoff = services.transfer_start_handoff(
        transfer=draft(org, book(org, account_id="T1")), actor=org["M1"].user
    )
    services.interview_update(transfer=in_handoff, actor=org["M1"].user, **SECTIONS)
    drafted = draft(org, book(org, account_id="T2"))
    behind = introduced(org, book(org, account_id="T3"))
    Transfer.objects.filter(pk=behind.pk).update(effective_date=TODAY - timedelta(days=200))
    lost = factories.account("L1", owner=org["R1"], since=date(2024, 1, 1))
    factories.order(lost, date(2024, 2, 1), "100.00")
    return {
        "T1": in_handoff.pk,
        "T2": drafted.pk,
        "T3": behind.pk,
        "org": org,
        "admin": factories.admin_user(),
    }


def snapshot() -> tuple:
    return (
        list(Transfer.objects.order_by("pk").values()),
        list(HandoffInterview.objects.order_by("pk").values()),
        list(Account.objects.order_by("pk").values_list("pk", "status", "lost_date", "lost_reason")),
        Ownership.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(client, url: str, payload: Any, method: str = "post") -> None:
    before = snapshot()
    response = getattr(client, method)(url, data=json.dumps(payload), content_type="application/json")
    assert 400 <= response.status_code < 500, (url, payload, response.status_code, response.content[:300])
    message = response.json().get("message", "")
    assert isinstance(message, str) and message.strip(), response.content
    assert snapshot() == before, (url, payload)


# --- the writes -----------------------------------------------------------------------------

VALID_CREATE = {"account_id": "ACME", "to": "R2", "effective_date": TODAY.isoformat(), "reason": "rebalance"}
bad_create = st.one_of(
    st.tuples(st.just("effective_date"), st.one_of(iso(future(366)), iso(past(TODAY - timedelta(days=30))))),
    st.tuples(st.just("effective_date"), unparseable_dates),
    st.tuples(st.just("co_coverage_days"), st.one_of(huge_or_negative, not_whole_numbers)),
    st.tuples(
        st.just("reason"),
        st.one_of(
            non_answers,
            st.text(max_size=30).filter(lambda r: r not in dict(TRANSFER_REASONS)),
        ),
    ),
    st.tuples(st.just("role"), non_answers),
    st.tuples(st.just("to"), non_answers),
    st.tuples(st.just("account_id"), non_answers),
)


@FUZZ
@given(bad=bad_create)
def test_create_transfer_refuses_nonsense(world, login, bad):
    name, value = bad
    refused(login(world["org"]["M1"]), "/api/transfers", {**VALID_CREATE, name: value})


bad_interview = st.one_of(
    st.tuples(st.sampled_from(list(SECTIONS)), non_answers.filter(lambda t: t.strip() != "")),
    st.tuples(st.just("interview_date"), st.one_of(iso(future()), iso(past(TODAY)), unparseable_dates)),
)


@FUZZ
@given(bad=bad_interview)
def test_interview_refuses_nonsense(world, login, bad):
    name, value = bad
    refused(
        login(world["org"]["M1"]), f"/api/transfers/{world['T1']}/interview", {**SECTIONS, name: value}, "put"
    )


@FUZZ
@given(meeting=st.one_of(iso(future()), iso(past(TODAY)), unparseable_dates))
def test_introduce_refuses_nonsense_dates(world, login, meeting):
    refused(login(world["org"]["M1"]), f"/api/transfers/{world['T1']}/introduce", {"meeting_date": meeting})


@FUZZ
@given(reason=st.one_of(non_answers, st.integers(), st.none()))
def test_waive_refuses_nonsense_reasons(world, login, reason):
    refused(login(world["org"]["M1"]), f"/api/transfers/{world['T1']}/waive", {"reason": reason})


@FUZZ
@given(reason=st.one_of(non_answers, st.integers(), st.lists(st.text(), max_size=2)))
def test_cancel_refuses_nonsense_reasons(world, login, reason):
    refused(login(world["org"]["M1"]), f"/api/transfers/{world['T2']}/cancel", {"reason": reason})


@FUZZ
@given(reason=non_answers)
def test_back_dated_completion_refuses_a_nonsense_confirmation(world, login, reason):
    refused(login(world["admin"]), f"/api/transfers/{world['T3']}/complete", {"backdate_reason": reason})


bad_lost = st.one_of(
    st.tuples(st.just("lost_date"), st.one_of(iso(future()), iso(past(date(2024, 1, 1))), unparseable_dates)),
    st.tuples(
        st.just("reason"),
        st.one_of(
            non_answers,
            st.text(max_size=20).filter(lambda r: r not in LostReason.values),
        ),
    ),
)


@FUZZ
@given(bad=bad_lost)
def test_lost_reason_refuses_nonsense(world, login, bad):
    name, value = bad
    payload = {"reason": "price", "lost_date": TODAY.isoformat(), name: value}
    refused(login(world["org"]["M1"]), "/api/retention/lost-reasons/L1", payload)
