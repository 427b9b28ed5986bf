"""Skill ratings: the rep's managers (and admins) rate them on the rep page, audited."""

from __future__ import annotations

import pytest

from bookwise.core.models import AuditEntry
from bookwise.people.models import Rep

pytestmark = pytest.mark.django_db


def test_a_manager_rates_on_the_rep_page_and_it_is_audited(org, login):
    m1 = login(org["M1"])
    assert "Save ratings" in m1.get("/reps/R1/").content.decode()
    response = m1.post("/transfers/skills/R1/", {"communication": "4", "flexibility": ""})
    assert response.status_code == 302
    r1 = Rep.objects.get(external_id="R1")
    assert (r1.communication, r1.flexibility) == (4, None)
    entry = AuditEntry.objects.get(action="people.rep.skills")
    assert entry.data["before"] == {"communication": None} and entry.data["after"] == {"communication": 4}


def test_the_rep_and_other_teams_may_not_rate(org, login):
    r1 = login(org["R1"])
    assert "Save ratings" not in r1.get("/reps/R1/").content.decode()
    r1.post("/transfers/skills/R1/", {"communication": "5", "flexibility": "5"})
    assert login(org["M2"]).post("/transfers/skills/R1/", {"communication": "5"}).status_code == 404
    assert Rep.objects.get(external_id="R1").communication is None
    assert not AuditEntry.objects.filter(action="people.rep.skills").exists()


def test_a_rating_out_of_range_is_refused(org, login):
    m1 = login(org["M1"])
    m1.post("/transfers/skills/R1/", {"communication": "7", "flexibility": "3"}, follow=True)
    assert Rep.objects.get(external_id="R1").communication is None
    body = m1.put("/api/reps/R1/skills", {"communication": 0}, content_type="application/json")
    assert body.status_code == 422 and body.json()["message"].startswith("Communication:")
