"""Acceptance: a handoff interview cannot be completed while a key contact (decision maker)
has no answer on introduction, unless waived with a reason; the account's coverage figure
updates when the introduction is recorded."""

from __future__ import annotations

import pytest

from bookwise.contacts.models import Contact, Relationship
from bookwise.contacts.selectors import relationship_map
from bookwise.core.errors import RuleViolation
from bookwise.core.validation import InvalidValue
from bookwise.transfers import services
from bookwise.transfers.introductions import interview_contacts_update
from bookwise.transfers.models import HandoffInterview, Transfer
from tests.transfers.helpers import EFFECTIVE, SECTIONS, book, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def handoff(org):
    account = book(org)
    jane = Contact.objects.create(external_id="C1", account=account, name="Jane Roe", title="CEO",
                                  buying_role="decision_maker")  # fmt: skip
    tom = Contact.objects.create(external_id="C2", account=account, name="Tom Poe", buying_role="finance")
    Relationship.objects.create(contact=jane, rep=org["R1"], strength="strong")
    m1 = org["M1"].user
    t = services.transfer_start_handoff(transfer=draft(org, account), actor=m1)
    services.interview_update(transfer=t, actor=m1, **SECTIONS)
    return {"t": t, "account": account, "jane": jane, "tom": tom, "m1": m1}


def test_interview_prefills_the_contacts_with_who_knows_them(org):
    account = book(org)
    jane = Contact.objects.create(external_id="C1", account=account, name="Jane Roe", title="CEO",
                                  buying_role="decision_maker")  # fmt: skip
    Relationship.objects.create(contact=jane, rep=org["R1"], strength="strong")
    t = services.transfer_start_handoff(transfer=draft(org, account), actor=org["M1"].user)
    interview = HandoffInterview.objects.get(transfer=t)
    assert interview.key_contacts == "- Jane Roe, CEO (decision maker): known by Rep R1 (strong)"
    assert [(r.contact.name, r.key, r.introduced) for r in interview.contact_answers.all()] == [
        ("Jane Roe", True, "")
    ]


def test_completion_refused_until_the_decision_maker_is_answered(org, handoff):
    t, m1 = handoff["t"], handoff["m1"]
    t = services.transfer_introduce(transfer=t, actor=m1, meeting_date=EFFECTIVE, attendees="R1, R2")
    with pytest.raises(RuleViolation) as err:
        services.transfer_complete(transfer=t, actor=m1)
    assert "Jane Roe" in err.value.message and "Tom Poe" not in err.value.message
    assert Transfer.objects.get(pk=t.pk).state == "introduced"
    interview_contacts_update(transfer=t, actor=m1, answers={"C1": ("no", "")})
    assert services.transfer_complete(transfer=t, actor=m1).state == "completed"


def test_a_waiver_needs_a_real_reason(org, handoff):
    t, m1 = handoff["t"], handoff["m1"]
    with pytest.raises(InvalidValue) as err:
        interview_contacts_update(transfer=t, actor=m1, answers={"C1": ("waived", "-")})
    assert "Waiver reason for Jane Roe" in err.value.message
    with pytest.raises(InvalidValue):
        interview_contacts_update(transfer=t, actor=m1, answers={"NOPE": ("yes", "")})
    with pytest.raises(InvalidValue):
        interview_contacts_update(transfer=t, actor=m1, answers={"C1": ("maybe", "")})
    interview_contacts_update(transfer=t, actor=m1, answers={"C1": ("waived", "Jane retires next month.")})
    t = services.transfer_introduce(transfer=t, actor=m1, meeting_date=EFFECTIVE)
    assert services.transfer_complete(transfer=t, actor=m1).state == "completed"


def test_the_introduction_records_who_met_the_new_rep_and_coverage_moves(org, handoff):
    t, m1, account = handoff["t"], handoff["m1"], handoff["account"]
    _, before = relationship_map(account=account, day=EFFECTIVE)
    assert before.single_threaded and before.multi_threaded == 0
    t = services.transfer_introduce(transfer=t, actor=m1, meeting_date=EFFECTIVE, contacts_met=["C1", "C2"])
    _, after = relationship_map(account=account, day=EFFECTIVE)
    assert (
        not after.single_threaded
        and after.multi_threaded == 1
        and after.dm_reps == {org["R1"].pk, org["R2"].pk}
    )
    assert Relationship.objects.get(contact=handoff["tom"], rep=org["R2"]).source == "introduction"
    assert services.transfer_complete(transfer=t, actor=m1).state == "completed"  # Jane answered: introduced


def test_unknown_contact_at_the_introduction_changes_nothing(org, handoff):
    with pytest.raises(InvalidValue):
        services.transfer_introduce(transfer=handoff["t"], actor=handoff["m1"], meeting_date=EFFECTIVE,
                                    contacts_met=["C1", "ZZ"])  # fmt: skip
    assert Transfer.objects.get(pk=handoff["t"].pk).state == "handoff"
    assert not Relationship.objects.filter(rep=org["R2"]).exists()


def test_a_waived_interview_needs_no_contact_answers(org):
    account = book(org)
    Contact.objects.create(external_id="C1", account=account, name="Jane Roe", buying_role="decision_maker")
    m1 = org["M1"].user
    t = services.transfer_start_handoff(transfer=draft(org, account), actor=m1)
    services.transfer_waive_interview(transfer=t, actor=m1, reason="R1 left before the interview.")
    t = services.transfer_introduce(transfer=t, actor=m1, meeting_date=EFFECTIVE)
    assert services.transfer_complete(transfer=t, actor=m1).state == "completed"


def test_api_contact_answers_and_missing(org, handoff, login):
    m1, r3 = login(org["M1"]), login(org["R3"])
    url = f"/api/transfers/{handoff['t'].pk}/interview"
    body = m1.get(url).json()
    assert body["missing_contacts"] == ["Jane Roe"] and body["contacts"][0]["key"] is True
    answers = {"answers": [{"contact_id": "C1", "introduced": "yes"}]}
    assert r3.put(url + "/contacts", answers, content_type="application/json").status_code == 404
    done = m1.put(url + "/contacts", answers, content_type="application/json")
    assert done.status_code == 200 and done.json()["missing_contacts"] == []
