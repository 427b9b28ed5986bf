from datetime import date

import pytest

from bookwise.accounts.models import Account
from bookwise.core.errors import Forbidden
from bookwise.core.models import AuditEntry
from bookwise.retention import services
from bookwise.retention.models import TierPin
from tests import factories as f

from .helpers import book


@pytest.fixture
def admin(db):
    return f.admin_user()


@pytest.mark.django_db
def test_admin_pins_and_unpins_a_tier_audited(org, admin, login):
    acc = book(org)
    client = login(admin)
    response = client.post("/retention/tiers/A3/pin/", {"tier": "A"})
    assert response.status_code == 302
    assert TierPin.objects.get(account=acc["A3"]).tier == "A"
    assert AuditEntry.objects.filter(action="tier.pin", object_id=str(acc["A3"].pk)).exists()
    rows = {r["account_id"]: r for r in client.get("/api/reports/tiers?date=2026-03-31").json()}
    assert rows["A3"]["tier"] == "A" and rows["A3"]["pinned"] is True
    client.post("/retention/tiers/A3/pin/", {"tier": ""})
    assert not TierPin.objects.filter(account=acc["A3"]).exists()
    assert AuditEntry.objects.filter(action="tier.unpin").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["D1", "M1", "R1"])
def test_only_admins_pin_tiers(org, login, who):
    book(org)
    client = login(org[who])
    assert client.post("/retention/tiers/A1/pin/", {"tier": "C"}).status_code == 403
    assert (
        client.put("/api/retention/tier-pins/A1", {"tier": "C"}, content_type="application/json").status_code
        == 403
    )
    assert not TierPin.objects.exists()
    with pytest.raises(Forbidden):
        services.tier_pin(account=Account.objects.get(external_id="A1"), tier="C", actor=org[who].user)


@pytest.mark.django_db
def test_api_pin_by_admin(org, admin, login):
    book(org)
    client = login(admin)
    response = client.put("/api/retention/tier-pins/A1", {"tier": "C"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["pinned"] is True
    assert client.delete("/api/retention/tier-pins/A1").json()["pinned"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["M1", "D1"])
def test_managers_above_the_owner_record_lost_reason(org, login, who):
    acc = book(org)
    client = login(org[who])
    page = client.get("/retention/lost/?start=2026-01-01&end=2026-03-31")
    assert acc["A3"].pk in page.context["allowed"]
    response = client.post(
        "/retention/lost/A3/reason/", {"reason": "competitor", "lost_date": "2026-03-15", "confirm": "on"}
    )
    assert response.status_code == 302
    a3 = Account.objects.get(pk=acc["A3"].pk)
    assert (a3.status, a3.lost_reason, a3.lost_date) == ("lost", "competitor", date(2026, 3, 15))
    assert AuditEntry.objects.filter(action="account.lost_reason", object_id=str(a3.pk)).exists()


@pytest.mark.django_db
def test_rep_may_not_record_lost_reason(org, login):
    acc = book(org)
    client = login(org["R1"])
    assert client.get("/retention/lost/?start=2026-01-01&end=2026-03-31").context["allowed"] == set()
    assert client.post("/retention/lost/A3/reason/", {"reason": "price"}).status_code == 403
    api = client.post("/api/retention/lost-reasons/A3", {"reason": "price"}, content_type="application/json")
    assert api.status_code == 403 and "message" in api.json()
    assert Account.objects.get(pk=acc["A3"].pk).lost_reason == ""


@pytest.mark.django_db
def test_other_teams_manager_may_not_record_lost_reason(org, login):
    acc = book(org)
    client = login(org["M2"])  # A3 is R1's, under M1
    assert client.post("/retention/lost/A3/reason/", {"reason": "price"}).status_code == 404
    api = client.post("/api/retention/lost-reasons/A3", {"reason": "price"}, content_type="application/json")
    assert api.status_code == 404
    assert not services.can_record_lost(org["M2"].user, acc["A3"])
    assert Account.objects.get(pk=acc["A3"].pk).lost_reason == ""


@pytest.mark.django_db
def test_api_records_lost_reason_for_manager(org, login):
    book(org)
    response = login(org["M1"]).post(
        "/api/retention/lost-reasons/A3",
        {"reason": "bankrupt", "lost_date": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["reason"] == "bankrupt"
    rows = login(org["M1"]).get("/api/reports/lost-accounts?start=2026-01-01&end=2026-03-31").json()
    assert {r["account_id"]: r["cause"] for r in rows}["A3"] == "unavoidable"


@pytest.mark.django_db
def test_lost_reason_form_with_csrf(org, login):
    from django.test import Client

    book(org)
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["M1"].user)
    page = client.get("/retention/lost/?start=2026-01-01&end=2026-03-31")
    token = page.cookies["csrftoken"].value
    assert client.post("/retention/lost/A3/reason/", {"reason": "price"}).status_code == 403  # no token
    form = {"reason": "price", "confirm": "on", "csrfmiddlewaretoken": token}
    response = client.post("/retention/lost/A3/reason/", form)
    assert response.status_code == 302
    assert Account.objects.get(external_id="A3").lost_reason == "price"
