"""Rep pages: the reps a user may see (grants and 404 denials), book sizes, manager chain,
direct reports and current accounts."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db

SCOPE = {
    "R1": {"R1"},
    "R2": {"R2"},
    "M1": {"M1", "R1", "R2"},
    "M2": {"M2", "R3", "R4"},
    "D1": {"D1", "M1", "M2", "R1", "R2", "R3", "R4"},
}


def listed(response) -> set[str]:
    return set(re.findall(r'<td><a href="/reps/(\w+)/">', response.content.decode()))


@pytest.mark.parametrize("who", sorted(SCOPE))
def test_rep_list_and_detail_grants_and_denials(book, org, login, who):
    client = login(org[who])
    assert listed(client.get("/reps/")) == SCOPE[who]
    for rep_id in SCOPE["D1"]:
        assert client.get(f"/reps/{rep_id}/").status_code == (200 if rep_id in SCOPE[who] else 404), rep_id


def test_manager_sees_all_levels_down(org, login):
    deep = f.rep("R9", manager=org["R1"])  # a report of a report
    assert "R9" in listed(login(org["M1"]).get("/reps/"))
    assert login(org["M1"]).get(f"/reps/{deep.external_id}/").status_code == 200
    assert login(org["M2"]).get("/reps/R9/").status_code == 404


def test_admin_and_nobody(book, admin, nobody, login):
    assert listed(login(admin).get("/reps/")) == SCOPE["D1"]
    response = login(nobody).get("/reps/")
    assert listed(response) == set() and "not linked to a rep" in response.content.decode()
    assert login(nobody).get("/reps/R1/").status_code == 404


@pytest.mark.parametrize("url", ["/reps/", "/reps/R1/"])
def test_anonymous_is_sent_to_login(org, url):
    assert Client().get(url)["Location"].startswith("/login/")


def test_book_sizes_in_list(book, org, login):
    html = login(org["M1"]).get("/reps/?q=R1").content.decode()
    cells = re.findall(r'<td class="num">(\d+)</td>', html)
    assert cells[:3] == ["2", "0", "100"]  # A1, A5 primary; no secondary; capacity


def test_rep_detail_chain_reports_and_accounts(book, org, login):
    html = login(org["R1"]).get("/reps/R1/").content.decode()
    assert "Rep M1" in html and "Rep D1" in html
    assert 'href="/reps/M1/"' not in html  # a rep may not open their manager's page
    assert 'href="/accounts/A1/"' in html and 'href="/accounts/A5/"' in html
    manager = login(org["D1"]).get("/reps/M1/").content.decode()
    assert 'href="/reps/R1/"' in manager and 'href="/reps/R2/"' in manager and 'href="/reps/D1/"' in manager


def test_rep_search_and_role_filter(book, org, login):
    client = login(org["D1"])
    assert listed(client.get("/reps/?role=sales_manager")) == {"M1", "M2"}
    assert listed(client.get("/reps/?q=r3")) == {"R3"}
    assert "No reps match" in client.get("/reps/?q=zzz").content.decode()


def test_rep_pages_query_counts(book, org, login, django_assert_max_num_queries):
    for i in range(30):
        f.rep(f"X{i:02d}", manager=org["M1"])
    client = login(org["D1"])
    client.get("/reps/")
    with django_assert_max_num_queries(10):
        client.get("/reps/")
    with django_assert_max_num_queries(12):
        client.get("/reps/M1/")


def test_rep_page_links_to_scorecard_and_offers_a_handover_plan_for_leavers(org, login):
    from datetime import date

    org["R1"].end_date = date(2030, 1, 31)
    org["R1"].save()
    page = login(org["M1"]).get("/reps/R1/").content.decode()
    assert "/team/scorecards/R1/" in page and "/transfers/plans/new/R1/" in page
    assert "/transfers/plans/new/R2/" not in login(org["M1"]).get("/reps/R2/").content.decode()
