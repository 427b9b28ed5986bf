"""CSV export of the visible accounts, and the login form with CSRF checks on."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db


def exported(client: Client) -> tuple[list[str], set[str]]:
    response = client.get("/accounts/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "accounts.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    return rows[0], {row[0] for row in rows[1:]}


@pytest.mark.parametrize(
    ("who", "expected"),
    [("R1", {"A1", "A5"}), ("M2", {"A3", "A4"}), ("D1", {"A1", "A2", "A3", "A4", "A5", "A6"})],
)
def test_export_contains_only_the_visible_accounts(book, org, login, who, expected):
    header, ids = exported(login(org[who]))
    assert header[0] == "account_id"
    assert ids == expected


def test_export_for_a_user_without_rep_is_empty(book, nobody, login):
    header, ids = exported(login(nobody))
    assert header and ids == set()


def test_login_form_with_csrf_enforced(org):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    token = page.cookies["csrftoken"].value
    refused = client.post("/login/", {"username": "r1", "password": f.PASSWORD})
    assert refused.status_code == 403
    wrong = client.post("/login/", {"username": "r1", "password": "nope", "csrfmiddlewaretoken": token})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    ok = client.post("/login/", {"username": "r1", "password": f.PASSWORD, "csrfmiddlewaretoken": token})
    assert ok.status_code == 302
    assert client.get("/accounts/").status_code == 200
