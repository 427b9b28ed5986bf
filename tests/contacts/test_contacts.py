"""Contacts and relationships through the services, the API (units) and the pages that flag
single-threaded accounts: the account page, the at-risk list, the dashboard."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookwise.accounts.models import Activity
from bookwise.contacts import services
from bookwise.contacts.models import Contact, Relationship
from bookwise.contacts.selectors import coverage_for, relationship_map, single_threaded
from bookwise.core.errors import ApplicationError, NotFound
from bookwise.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def acme(org):
    a = factories.account("ACME", owner=org["R1"], territory=org["R1"].territory, name="Acme Ltd")
    factories.order(a, TODAY - timedelta(days=20), "1000.00")
    return a


def dm(account, name="Jane Roe", cid="C1"):
    return Contact.objects.create(external_id=cid, account=account, name=name, buying_role="decision_maker")


def test_one_rep_on_the_only_decision_maker_is_flagged_then_a_second_rep_clears_it(org, acme):
    jane = dm(acme)
    services.relationship_set(contact=jane, rep=org["R1"], strength="strong", actor=org["R1"].user)
    rows, cov = relationship_map(account=acme, day=TODAY)
    assert cov.single_threaded and [k.rep.external_id for k in rows[0].knowers] == ["R1"]
    assert [r.account.external_id for r in single_threaded(user=org["M1"].user, day=TODAY)] == ["ACME"]
    assert single_threaded(user=org["M2"].user, day=TODAY) == []  # not their team's account
    services.relationship_set(contact=jane, rep=org["R2"], strength="met", actor=org["M1"].user)
    assert not coverage_for(account_ids=[acme.pk], day=TODAY)[acme.pk].single_threaded


def test_relationships_from_activity_notes(org, acme):
    """R2 logged 3 days with notes naming Jane Roe -> regular; a day without her name, or
    more than 24 months ago, does not count."""
    jane = dm(acme)
    for days_ago, note in ((3, "Call with Jane Roe"), (10, "jane roe: renewal"), (40, "Lunch, Jane Roe"),
                           (50, "Call with Tom"), (800, "Jane Roe")):  # fmt: skip
        Activity.objects.create(rep=org["R2"], date=TODAY - timedelta(days=days_ago), hours=Decimal("1"),
                                kind="account_nurturing", account=acme, note=note)  # fmt: skip
    rows, cov = relationship_map(account=acme, day=TODAY)
    assert [(k.rep.external_id, k.strength, k.source) for k in rows[0].knowers] == [
        ("R2", "regular", "activities")
    ]
    assert cov.single_threaded
    # a recorded strong relationship is stronger than the activities
    services.relationship_set(contact=jane, rep=org["R2"], strength="strong", actor=org["M1"].user)
    rows, _ = relationship_map(account=acme, day=TODAY)
    assert [(k.strength, k.source) for k in rows[0].knowers] == [("strong", "manual")]


def test_a_rep_who_left_no_longer_covers(org, acme):
    jane = dm(acme)
    Relationship.objects.create(contact=jane, rep=org["R1"], strength="strong")
    org["R1"].end_date = TODAY - timedelta(days=1)
    org["R1"].save()
    _, cov = relationship_map(account=acme, day=TODAY)
    assert cov.decision_makers_covered == 0 and not cov.single_threaded


def test_contact_create_checks_values_and_audits(org, acme):
    c = services.contact_create(account=acme, actor=org["R1"].user, name="Tom Poe", buying_role="finance",
                                email="tom@example.com", phone="+44 20 7946 0000")  # fmt: skip
    assert c.external_id.startswith("CT-")
    assert AuditEntry.objects.filter(action="contact.create", object_id=str(c.pk)).exists()
    for bad, field in (({"name": "-"}, "name"), ({"email": "nope"}, "email"), ({"phone": "12"}, "phone"),
                       ({"buying_role": "boss"}, "buying_role")):  # fmt: skip
        with pytest.raises(ApplicationError) as err:
            services.contact_create(
                account=acme, actor=org["R1"].user, **{"name": "Ann Lee", "buying_role": "user", **bad}
            )
        assert err.value.extra["field"] == field
    assert Contact.objects.count() == 1


def test_relationship_for_another_teams_rep_is_unknown(org, acme):
    jane = dm(acme)
    with pytest.raises(NotFound):
        services.relationship_set(contact=jane, rep=org["R3"], strength="met", actor=org["M1"].user)
    assert not Relationship.objects.exists()


def test_api_map_add_change_and_denials(org, acme, login):
    r1, r3 = login(org["R1"]), login(org["R3"])
    created = r1.post("/api/accounts/ACME/contacts", {"name": "Jane Roe", "buying_role": "decision_maker",
                      "contact_id": "J1"}, content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    assert (
        r1.put(
            "/api/contacts/J1/relationships/R1", {"strength": "strong"}, content_type="application/json"
        ).status_code
        == 200
    )
    body = r1.get("/api/accounts/ACME/contacts").json()
    assert body["coverage"]["single_threaded"] is True and body["coverage"]["coverage"] == 1.0
    assert body["contacts"][0]["known_by"] == [
        {"rep_id": "R1", "name": "Rep R1", "strength": "strong", "source": "manual"}
    ]
    assert r3.get("/api/accounts/ACME/contacts").status_code == 404
    assert r3.put("/api/contacts/J1", {"left": True}, content_type="application/json").status_code == 404
    bad = r1.put("/api/contacts/J1/relationships/R1", {"strength": "bestie"}, content_type="application/json")
    assert bad.status_code == 422 and "How well" in bad.json()["message"]
    assert r1.put("/api/contacts/J1", {"left": True}, content_type="application/json").json()["left"] is True
    assert r1.get("/api/accounts/ACME/contacts").json()["coverage"]["decision_makers"] == 0


def test_pages_flag_single_threaded(org, acme, login):
    jane = dm(acme)
    Relationship.objects.create(contact=jane, rep=org["R1"], strength="strong")
    m1 = login(org["M1"])
    page = m1.get("/accounts/ACME/").content.decode()
    assert "Contacts and relationships" in page and "Single-threaded" in page and "Jane Roe" in page
    assert "Acme Ltd" in m1.get("/retention/at-risk/").content.decode().split("Single-threaded accounts")[1]
    assert "Single-threaded accounts" in m1.get("/").content.decode()
    assert "Single-threaded accounts" not in login(org["M2"]).get("/").content.decode()
