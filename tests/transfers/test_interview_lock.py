"""After the introduction the handoff interview is a record: emptying a required section
is refused, a change is an audited amendment (before and after), and completion checks
the sections again."""

from __future__ import annotations

import pytest

from bookwise.core.errors import RuleViolation
from bookwise.core.models import AuditEntry
from bookwise.transfers import services
from bookwise.transfers.models import HandoffInterview, Transfer
from tests.transfers.helpers import SECTIONS, book, draft, introduced


def _amendments(transfer: Transfer) -> list[dict]:
    return list(
        AuditEntry.objects.filter(
            action="transfer.interview_amend", object_type="transfers.transfer", object_id=str(transfer.pk)
        ).values_list("data", flat=True)
    )


def test_the_outgoing_rep_cannot_empty_the_interview_after_the_introduction(org, login):
    transfer = introduced(org, book(org))
    client = login(org["R1"])  # the outgoing rep may edit the interview
    response = client.post(f"/transfers/{transfer.pk}/interview/", {}, follow=True)
    assert b"locked since the introduction" in response.content
    interview = HandoffInterview.objects.get(transfer=transfer)
    assert {name: getattr(interview, name) for name in SECTIONS} == SECTIONS
    assert _amendments(transfer) == []


def test_an_emptied_section_is_named_and_nothing_changes(org):
    transfer = introduced(org, book(org))
    with pytest.raises(RuleViolation) as refused:
        services.interview_update(transfer=transfer, actor=org["R1"].user, key_contacts="  ", recent_sales="")
    assert refused.value.message == (
        "The handoff interview is locked since the introduction: Recent sales (last 12 months), "
        "Key contacts and relationships cannot be emptied; amend it with a real answer instead."
    )
    assert HandoffInterview.objects.get(transfer=transfer).key_contacts == SECTIONS["key_contacts"]


def test_a_change_after_the_introduction_is_an_audited_amendment(org):
    transfer = introduced(org, book(org))
    services.interview_update(
        transfer=transfer, actor=org["R1"].user, **{**SECTIONS, "key_contacts": "Jane (buyer) left; ask Ann."}
    )
    assert _amendments(transfer) == [
        {
            "account": "ACME",
            "from": "R1",
            "to": "R2",
            "state": "introduced",
            "before": {"key_contacts": SECTIONS["key_contacts"]},
            "after": {"key_contacts": "Jane (buyer) left; ask Ann."},
        }
    ]
    services.interview_update(
        transfer=transfer, actor=org["R1"].user, **SECTIONS | {"key_contacts": "Jane (buyer) left; ask Ann."}
    )
    assert len(_amendments(transfer)) == 1  # saving the same answers again is no amendment


def test_completion_checks_the_sections_again(org):
    transfer = introduced(org, book(org))
    HandoffInterview.objects.filter(transfer=transfer).update(key_contacts="")  # behind the service's back
    with pytest.raises(RuleViolation, match="Key contacts and relationships"):
        services.transfer_complete(transfer=transfer, actor=org["M1"].user)
    assert Transfer.objects.get(pk=transfer.pk).state == "introduced"


def test_during_handoff_sections_may_still_be_emptied(org):
    transfer = services.transfer_start_handoff(transfer=draft(org, book(org)), actor=org["M1"].user)
    services.interview_update(transfer=transfer, actor=org["R1"].user, **SECTIONS)
    services.interview_update(transfer=transfer, actor=org["R1"].user, key_contacts="")
    assert HandoffInterview.objects.get(transfer=transfer).missing_sections() == ["key_contacts"]
