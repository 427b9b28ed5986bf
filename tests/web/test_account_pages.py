"""Account pages: who sees what (grants and 404 denials), search, filters, sort,
pagination, the detail page's owner history and chart data, and query counts."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db

VISIBLE = {
    "R1": {"A1", "A5"},
    "R2": {"A1", "A2"},
    "R3": {"A3"},
    "R4": {"A4"},
    "M1": {"A1", "A2", "A5"},
    "M2": {"A3", "A4"},
    "D1": {"A1", "A2", "A3", "A4", "A5", "A6"},
}


def listed(response) -> set[str]:
    return set(re.findall(r'href="/accounts/([A-Z][A-Z0-9]*)/"', response.content.decode()))


def ordered(response) -> list[str]:
    ids = re.findall(r'<td><a href="/accounts/([A-Z][A-Z0-9]*)/">', response.content.decode())
    return list(dict.fromkeys(ids))


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_list_shows_exactly_the_accounts_in_scope(book, org, login, who):
    response = login(org[who]).get("/accounts/")
    assert response.status_code == 200
    assert listed(response) == VISIBLE[who]


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_detail_is_granted_in_scope_and_404_outside(book, org, login, who):
    client = login(org[who])
    for account_id in VISIBLE["D1"]:
        expected = 200 if account_id in VISIBLE[who] else 404
        assert client.get(f"/accounts/{account_id}/").status_code == expected, account_id


def test_admin_sees_everything(book, admin, login):
    client = login(admin)
    assert listed(client.get("/accounts/")) == VISIBLE["D1"]
    assert client.get("/accounts/A6/").status_code == 200


def test_user_without_rep_sees_nothing(book, nobody, login):
    client = login(nobody)
    response = client.get("/accounts/")
    assert listed(response) == set()
    assert "no accounts to see" in response.content.decode()
    assert client.get("/accounts/A1/").status_code == 404


def test_unknown_account_is_404(book, admin, login):
    assert login(admin).get("/accounts/NOPE/").status_code == 404


@pytest.mark.parametrize("url", ["/accounts/", "/accounts/A1/", "/accounts/export.csv"])
def test_anonymous_is_sent_to_login(book, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=acme", {"A1"}),
        ("q=A2", {"A2"}),
        ("q=ta", {"A2", "A4"}),  # Beta Tools, Delta
        ("q=a5", {"A5"}),  # exact id, any case
        ("territory=South", {"A3", "A4"}),
        ("status=lost", {"A4"}),
        ("owner=R1", {"A1", "A5"}),
        ("owner=R2", {"A2"}),  # R2 is only secondary on A1
        ("owner=R3", {"A3"}),  # R3 no longer owns A5
        ("owner=NOBODY", set()),
        ("territory=North&owner=R1&status=active", {"A1", "A5"}),
    ],
)
def test_search_and_filters(book, org, login, query, expected):
    assert listed(login(org["D1"]).get(f"/accounts/?{query}")) == expected


def test_owner_filter_on_a_rep_outside_scope_finds_nothing(book, org, login):
    assert listed(login(org["M1"]).get("/accounts/?owner=R3")) == set()


def test_empty_filter_result_says_so(book, org, login):
    response = login(org["D1"]).get("/accounts/?q=zzz")
    assert "No accounts match these filters" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["A1", "A2", "A4", "A5", "A3", "A6"]),
        ("-name", ["A6", "A3", "A5", "A4", "A2", "A1"]),
        ("id", ["A1", "A2", "A3", "A4", "A5", "A6"]),
        ("-id", ["A6", "A5", "A4", "A3", "A2", "A1"]),
        ("-potential", ["A1", "A2"]),
    ],
)
def test_sorting(book, org, login, sort, expected):
    got = ordered(login(org["D1"]).get(f"/accounts/?sort={sort}"))
    assert got[: len(expected)] == expected


def test_bad_sort_or_filter_value_is_a_form_error_not_a_crash(book, org, login):
    response = login(org["D1"]).get("/accounts/?sort=hack&status=weird")
    assert response.status_code == 200
    assert "errors" in response.content.decode()


def test_pagination_50_a_page(org, login):
    for i in range(120):
        f.account(f"P{i:03d}", owner=org["R1"], name=f"Page {i:03d}")
    client = login(org["R1"])
    first, third = client.get("/accounts/?sort=id"), client.get("/accounts/?sort=id&page=3")
    assert len(ordered(first)) == 50 and ordered(first)[0] == "P000"
    assert ordered(third) == [f"P{i:03d}" for i in range(100, 120)]
    assert "Page 1 of 3" in first.content.decode()


def test_list_shows_current_primary_and_secondary_owner(book, org, login):
    html = login(org["D1"]).get("/accounts/?q=A1").content.decode()
    assert 'href="/reps/R1/"' in html and 'href="/reps/R2/"' in html


def test_list_query_count_is_constant_in_the_number_of_accounts(org, login, django_assert_max_num_queries):
    for i in range(60):
        a = f.account(f"Q{i:03d}", owner=org["R1"], territory=f.territory("North"))
        f.own(a, org["R2"], a.created_date, role="secondary")
    client = login(org["M1"])
    client.get("/accounts/")  # warm the session
    # 14: one reads the names the Owner picker offers, one the potential of the whole list
    with django_assert_max_num_queries(14):
        assert client.get("/accounts/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/accounts/?page=2&sort=-territory").status_code == 200


def test_empty_potential_sorts_last_both_ways(book, org, login):
    client = login(org["D1"])
    assert ordered(client.get("/accounts/?sort=potential"))[:2] == ["A2", "A1"]
    assert ordered(client.get("/accounts/?sort=-potential"))[-1] not in ("A1", "A2")
