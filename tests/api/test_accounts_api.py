"""Accounts API: grants and 404 denials, filters, pagination, money as strings, external
ids, orders with a date range, ownership history, token auth and the error shape."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from bookwise.core.services import api_token_create
from tests import factories as f

pytestmark = pytest.mark.django_db

VISIBLE = {
    "R1": {"A1", "A5"},
    "R2": {"A1", "A2"},
    "M1": {"A1", "A2", "A5"},
    "M2": {"A3", "A4"},
    "D1": {"A1", "A2", "A3", "A4", "A5", "A6"},
}


def ids(body: dict) -> set[str]:
    return {item["account_id"] for item in body["items"]}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_list_and_detail_grants_and_denials(book, org, login, who):
    client = login(org[who])
    body = client.get("/api/accounts").json()
    assert ids(body) == VISIBLE[who] and body["count"] == len(VISIBLE[who])
    for account_id in VISIBLE["D1"]:
        expected = 200 if account_id in VISIBLE[who] else 404
        for suffix in ("", "/orders", "/owners"):
            assert client.get(f"/api/accounts/{account_id}{suffix}").status_code == expected, (
                account_id,
                suffix,
            )


def test_denial_is_the_same_as_not_found(book, org, login):
    client = login(org["R1"])
    hidden, missing = client.get("/api/accounts/A3"), client.get("/api/accounts/NOPE")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"message": "No such account.", "extra": {}}


def test_admin_sees_all_and_nobody_sees_nothing(book, admin, nobody, login):
    assert ids(login(admin).get("/api/accounts").json()) == VISIBLE["D1"]
    body = login(nobody).get("/api/accounts").json()
    assert body["count"] == 0 and body["items"] == []
    assert login(nobody).get("/api/accounts/A1").status_code == 404


@pytest.mark.parametrize(
    "url", ["/api/accounts", "/api/accounts/A1", "/api/accounts/A1/orders", "/api/accounts/A1/owners"]
)
def test_anonymous_gets_401(book, url):
    response = Client().get(url)
    assert response.status_code == 401
    assert response.json() == {"message": "Authentication required.", "extra": {}}


def test_account_fields_money_as_strings_and_external_ids(book, org, login):
    body = login(org["D1"]).get("/api/accounts/A3").json()
    assert body["account_id"] == "A3" and body["parent_id"] == "A1"
    assert body["primary_owner_id"] == "R3" and body["secondary_owner_id"] is None
    a1 = login(org["D1"]).get("/api/accounts/A1").json()
    assert a1["potential_revenue"] == "100000.00" and a1["secondary_owner_id"] == "R2"
    assert a1["territory"] == "North" and a1["region"] == "East"
    lost = login(org["D1"]).get("/api/accounts/A4").json()
    assert (lost["status"], lost["lost_date"], lost["lost_reason"], lost["lost_cause"]) == (
        "lost", "2025-03-01", "price", "avoidable",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("search=acme", {"A1"}),
        ("search=a4", {"A4"}),
        ("territory=South", {"A3", "A4"}),
        ("territory=Nowhere", set()),
        ("status=lost", {"A4"}),
        ("owner=R1", {"A1", "A5"}),
        ("owner=UNKNOWN", set()),
    ],
)
def test_list_filters(book, org, login, query, expected):
    assert ids(login(org["D1"]).get(f"/api/accounts?{query}").json()) == expected


def test_list_pagination_and_sort(book, org, login):
    client = login(org["D1"])
    first = client.get("/api/accounts?sort=id&limit=4").json()
    rest = client.get("/api/accounts?sort=id&limit=4&offset=4").json()
    assert [i["account_id"] for i in first["items"]] == ["A1", "A2", "A3", "A4"]
    assert [i["account_id"] for i in rest["items"]] == ["A5", "A6"]
    assert first["count"] == rest["count"] == 6


@pytest.mark.parametrize(
    ("query", "field"), [("limit=0", "limit"), ("limit=100000", "limit"), ("status=gone", "status")]
)
def test_bad_parameters_name_the_field(book, org, login, query, field):
    response = login(org["D1"]).get(f"/api/accounts?{query}")
    assert response.status_code == 422
    assert response.json()["extra"]["field"] == field


def test_orders_with_date_range_and_pagination(book, org, login):
    client = login(org["R1"])
    every = client.get("/api/accounts/A1/orders").json()
    assert every["count"] == 4
    newest = every["items"][0]
    assert isinstance(newest["amount"], str) and newest["date"] >= every["items"][-1]["date"]
    start = book["last_month"].isoformat()
    ranged = client.get(f"/api/accounts/A1/orders?start={start}&end={start}").json()
    assert [(i["amount"], i["rep_id"], i["kind"]) for i in ranged["items"]] == [("1000.00", "R2", "new")]
    paged = client.get("/api/accounts/A1/orders?limit=1&offset=3").json()
    assert paged["items"][0]["amount"] == "999.00" and paged["items"][0]["gross_profit"] is None


def test_orders_reversed_range_is_an_error(book, org, login):
    response = login(org["R1"]).get("/api/accounts/A1/orders?start=2026-02-01&end=2026-01-01")
    assert response.status_code in (400, 422)
    assert response.json()["extra"]["field"] == "start"


def test_owners_history(book, org, login):
    rows = login(org["D1"]).get("/api/accounts/A5/owners").json()
    assert [(r["rep_id"], r["start_date"], r["end_date"], r["reason"], r["current"]) for r in rows] == [
        ("R1", "2025-06-01", None, "transfer", True),
        ("R3", "2020-01-01", "2025-05-31", "import", False),
    ]


def test_token_auth_and_bad_token(book, org):
    user = org["R1"].user
    key = api_token_create(user=user, label="test")
    client = Client()
    good = client.get("/api/accounts", HTTP_AUTHORIZATION=f"Token {key}")
    assert good.status_code == 200 and ids(good.json()) == VISIBLE["R1"]
    assert client.get("/api/accounts/A3", HTTP_AUTHORIZATION=f"Token {key}").status_code == 404
    assert client.get("/api/accounts", HTTP_AUTHORIZATION="Token not-a-real-key").status_code == 401
    assert client.get("/api/accounts", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get("/api/accounts", HTTP_AUTHORIZATION=f"Basic {key}").status_code == 401


def test_token_of_inactive_user_is_refused(book, org):
    user = org["R1"].user
    key = api_token_create(user=user, label="test")
    user.is_active = False
    user.save()
    assert Client().get("/api/accounts", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_list_query_count_is_constant(org, login, django_assert_max_num_queries):
    for i in range(40):
        a = f.account(f"Q{i:02d}", owner=org["R1"], territory=f.territory("North"), parent=None)
        f.own(a, org["R2"], date(2021, 1, 1), role="secondary")
    client = login(org["M1"])
    client.get("/api/accounts")
    with django_assert_max_num_queries(9):
        assert len(client.get("/api/accounts?limit=100").json()["items"]) == 40


def test_openapi_docs_render(admin, login):
    client = login(admin)
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/accounts", "/api/accounts/{account_id}", "/api/accounts/{account_id}/orders",
                 "/api/accounts/{account_id}/owners", "/api/reps", "/api/reps/{rep_id}"):  # fmt: skip
        assert path in schema["paths"], path
