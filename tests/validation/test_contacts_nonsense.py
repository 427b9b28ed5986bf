"""Hypothesis feeds nonsense to the contacts API, the handoff interview's contact step and
the skill ratings: each call answers 4xx with a message and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookwise.contacts.models import Contact, Relationship
from bookwise.core.models import AuditEntry
from bookwise.people.models import Rep
from bookwise.transfers import services
from bookwise.transfers.models import InterviewContact
from tests.properties import examples
from tests.transfers.helpers import SECTIONS, book, draft
from tests.validation.test_api_nonsense import non_answers

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=examples(25),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world(org):
    account = book(org)
    Contact.objects.create(external_id="C1", account=account, name="Jane Roe", buying_role="decision_maker")
    m1 = org["M1"].user
    t = services.transfer_start_handoff(transfer=draft(org, account), actor=m1)
    services.interview_update(transfer=t, actor=m1, **SECTIONS)
    return {"org": org, "transfer": t}


def snapshot() -> tuple:
    return (
        list(Contact.objects.order_by("pk").values()),
        list(Relationship.objects.order_by("pk").values_list("contact_id", "rep_id", "strength")),
        list(InterviewContact.objects.order_by("pk").values_list("introduced", "waiver_reason")),
        list(Rep.objects.order_by("pk").values_list("communication", "flexibility")),
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


junk = st.one_of(non_answers, st.integers(), st.none(), st.booleans(), st.lists(st.integers(), max_size=2))
not_a_role = st.one_of(junk, st.sampled_from(["boss", "Decision maker", "DM", "cfo"]))
not_an_email = st.sampled_from(["x", "@", "a@b", "jane@", "jane at acme.com", "a" * 300 + "@x.com"])
not_a_phone = st.sampled_from(["12", "phone", "++", "call me", "--------"])


@FUZZ
@given(name=non_answers, role=not_a_role)
def test_adding_a_contact_refuses_nonsense(world, login, name, role):
    r1 = login(world["org"]["R1"])
    refused(r1, "/api/accounts/ACME/contacts", {"name": name, "buying_role": "user"})
    refused(r1, "/api/accounts/ACME/contacts", {"name": "Tom Poe", "buying_role": role})


BOOL_WORDS = {"1", "0", "y", "n", "t", "f", "on", "off", "yes", "no", "true", "false"}  # pydantic's
not_a_bool = st.text(max_size=3).filter(lambda t: t.strip().lower() not in BOOL_WORDS)


@FUZZ
@given(email=not_an_email, phone=not_a_phone, left=st.one_of(not_a_bool, st.lists(st.none())))
def test_changing_a_contact_refuses_nonsense(world, login, email, phone, left):
    r1 = login(world["org"]["R1"])
    refused(r1, "/api/contacts/C1", {"email": email}, "put")
    refused(r1, "/api/contacts/C1", {"phone": phone}, "put")
    refused(r1, "/api/contacts/C1", {"left": left}, "put")
    refused(r1, "/api/contacts/NOPE", {"left": True}, "put")


@FUZZ
@given(strength=junk, rep=st.sampled_from(["R3", "R999", "M2", "' OR 1=1 --"]))
def test_relationships_refuse_nonsense(world, login, strength, rep):
    r1 = login(world["org"]["R1"])
    refused(r1, "/api/contacts/C1/relationships/R1", {"strength": strength}, "put")
    refused(r1, f"/api/contacts/C1/relationships/{rep}", {"strength": "met"}, "put")
    refused(r1, "/api/contacts/C1/relationships/R1", method="delete")  # none recorded


@FUZZ
@given(
    answer=st.one_of(junk, st.sampled_from(["Yes", "maybe", "introduced"])).filter(
        lambda a: not (isinstance(a, str) and not a.strip())  # blank = "no answer", a valid choice
    ),
    reason=non_answers,
)
def test_interview_contact_answers_refuse_nonsense(world, login, answer, reason):
    m1 = login(world["org"]["M1"])
    url = f"/api/transfers/{world['transfer'].pk}/interview/contacts"
    refused(m1, url, {"answers": [{"contact_id": "C1", "introduced": answer}]}, "put")
    refused(
        m1, url, {"answers": [{"contact_id": "C1", "introduced": "waived", "waiver_reason": reason}]}, "put"
    )
    refused(m1, url, {"answers": [{"contact_id": "C9", "introduced": "yes"}]}, "put")
    refused(m1, url, {"answers": "yes"}, "put")


def not_a_rating(value: object) -> bool:
    """Out of 1..5 or not a whole number (pydantic takes "3" and 3.0 as 3)."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return True
    return not (number.is_integer() and 1 <= number <= 5)


@FUZZ
@given(
    rating=st.one_of(
        st.integers(max_value=0), st.integers(min_value=6), st.text(max_size=3), st.floats()
    ).filter(not_a_rating)
)
def test_skill_ratings_refuse_nonsense(world, login, rating):
    m1 = login(world["org"]["M1"])
    refused(m1, "/api/reps/R1/skills", {"communication": rating, "flexibility": 3}, "put")
    refused(login(world["org"]["R1"]), "/api/reps/R1/skills", {"communication": 5, "flexibility": 5}, "put")
    refused(m1, "/api/reps/R3/skills", {"communication": 3}, "put")
