"""Reps API: grants and 404 denials, all levels down, book sizes, filters, 401s."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db

SCOPE = {
    "R1": {"R1"},
    "M1": {"M1", "R1", "R2"},
    "M2": {"M2", "R3", "R4"},
    "D1": {"D1", "M1", "M2", "R1", "R2", "R3", "R4"},
}


def ids(body: dict) -> set[str]:
    return {item["rep_id"] for item in body["items"]}


@pytest.mark.parametrize("who", sorted(SCOPE))
def test_grants_and_denials(book, org, login, who):
    client = login(org[who])
    assert ids(client.get("/api/reps").json()) == SCOPE[who]
    for rep_id in SCOPE["D1"]:
        assert client.get(f"/api/reps/{rep_id}").status_code == (200 if rep_id in SCOPE[who] else 404)


def test_all_levels_down_admin_and_nobody(book, org, admin, nobody, login):
    f.rep("R9", manager=org["R1"])
    assert "R9" in ids(login(org["M1"]).get("/api/reps").json())
    assert login(org["M2"]).get("/api/reps/R9").status_code == 404
    assert ids(login(admin).get("/api/reps").json()) == SCOPE["D1"] | {"R9"}
    assert login(nobody).get("/api/reps").json()["count"] == 0
    assert login(nobody).get("/api/reps/R1").json() == {"message": "No such rep.", "extra": {}}


@pytest.mark.parametrize("url", ["/api/reps", "/api/reps/R1"])
def test_anonymous_gets_401(org, url):
    assert Client().get(url).status_code == 401


def test_rep_fields(book, org, login):
    body = login(org["M1"]).get("/api/reps/R1").json()
    assert body["manager_id"] == "M1" and body["territory"] == "North" and body["region"] == "East"
    assert (body["primary_accounts"], body["secondary_accounts"], body["capacity"]) == (2, 0, 100)
    r2 = login(org["M1"]).get("/api/reps/R2").json()
    assert (r2["role"], r2["primary_accounts"], r2["secondary_accounts"]) == ("hunter", 1, 1)


def test_filters_and_pagination(book, org, login):
    client = login(org["D1"])
    assert ids(client.get("/api/reps?role=sales_manager").json()) == {"M1", "M2"}
    assert ids(client.get("/api/reps?search=r4").json()) == {"R4"}
    page = client.get("/api/reps?limit=2&offset=2").json()
    assert page["count"] == 7 and len(page["items"]) == 2
    assert client.get("/api/reps?role=boss").json()["extra"]["field"] == "role"
