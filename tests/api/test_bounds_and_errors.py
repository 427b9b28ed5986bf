"""Every paged listing bounds its limit and offset in its schema (a huge offset is a 422
naming the field, never a 500); an unexpected error answers the API's one error shape with
the request's id and nothing of the error, and the log line carries the same id."""

from __future__ import annotations

import logging

import pytest

from bookwise.core.paging import MAX_OFFSET

pytestmark = pytest.mark.django_db
HUGE = "9223372036854775808"
LISTINGS = ["/api/accounts", "/api/reps", "/api/accounts/A1/orders"]


@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize("value", [HUGE, "9223372036854775807", str(MAX_OFFSET + 1), "-1"])
def test_an_offset_out_of_bounds_is_a_422_naming_it(book, admin, login, url, value):
    answer = login(admin).get(f"{url}?offset={value}")
    assert answer.status_code == 422, answer.content
    assert answer.json()["message"].startswith("Offset:")


@pytest.mark.parametrize("url", LISTINGS)
def test_the_largest_offset_allowed_answers_an_empty_page(book, admin, login, url):
    body = login(admin).get(f"{url}?offset={MAX_OFFSET}&limit=500").json()
    assert body["items"] == [] and body["offset"] == MAX_OFFSET


@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize("value", [HUGE, "0", "501"])
def test_a_limit_out_of_bounds_is_a_422(book, admin, login, url, value):
    answer = login(admin).get(f"{url}?limit={value}")
    assert answer.status_code == 422 and answer.json()["message"].startswith("Limit:")


def test_the_openapi_document_states_the_bounds(client):
    spec = client.get("/api/openapi.json").json()
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/accounts"]["get"]["parameters"]}
    assert params["offset"]["maximum"] == MAX_OFFSET and params["limit"]["maximum"] == 500


def _explode(*args, **kwargs):
    raise RuntimeError("secret detail: /srv/bookwise/settings.py line 12")


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_answers_the_shape_with_a_request_id(
    book, admin, login, monkeypatch, caplog, settings, debug
):
    settings.DEBUG = debug
    monkeypatch.setattr("bookwise.accounts.api_reps.book_sizes", _explode)  # a fault injected in the code
    with caplog.at_level(logging.ERROR, logger="bookwise.api"):
        answer = login(admin).get("/api/reps")
    assert answer.status_code == 500
    body = answer.json()
    request_id = answer["X-Request-ID"]
    assert set(body) == {"message", "extra"} and body["extra"] == {"request_id": request_id}
    assert request_id in body["message"]
    assert "secret" not in answer.content.decode() and "Traceback" not in answer.content.decode()
    logged = [r for r in caplog.records if r.name == "bookwise.api"]
    assert logged and logged[0].request_id == request_id and logged[0].exc_info is not None


def test_every_answer_has_a_request_id_and_a_sane_given_one_is_kept(client):
    made = client.get("/login/")["X-Request-ID"]
    assert len(made) == 32
    kept = client.get("/login/", headers={"X-Request-ID": "proxy-1234abcd"})["X-Request-ID"]
    assert kept == "proxy-1234abcd"
    refused = client.get("/login/", headers={"X-Request-ID": "bad id\nwith newline"})["X-Request-ID"]
    assert refused != "bad id\nwith newline" and len(refused) == 32


def test_log_lines_carry_the_request_id():
    from bookwise.core.requests import RequestIdFilter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    assert RequestIdFilter().filter(record) and record.request_id == "-"


DATED = [
    "/api/teams/M1/time-study?start={}",
    "/api/reps/R1/scorecard?date={}",
    "/api/reps/R1/signals?date={}",
    "/api/team/focus?date={}",
    "/api/reports/retention?start={}&end=2026-01-31",
    "/api/reports/tiers?date={}",
    "/api/reports/gaps?date={}",
    "/api/reports/at-risk?date={}",
    "/api/reports/lost-accounts?start={}&end=2026-01-31",
    "/api/accounts/A1/orders?start={}",
]


@pytest.mark.parametrize("url", DATED)
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_out_of_the_api_range_is_a_422_naming_it(book, org, login, url, day):
    answer = login(org["D1"]).get(url.format(day))
    assert answer.status_code == 422, answer.content
    field = url.split("?")[1].split("=")[0]
    assert answer.json()["message"].startswith(f"{field.capitalize()}: input should be")


NEWLINE_PATHS = ["/api/transfers/plans/-5/lines/A%0A1", "/api/nothing%0Ahere", "/api/accounts/A1%0A/x"]


@pytest.mark.parametrize("path", NEWLINE_PATHS)
def test_a_path_no_endpoint_has_answers_json_even_with_a_newline(admin, login, path):
    answer = login(admin).delete(path)
    assert answer.status_code in (404, 405) and answer["Content-Type"] == "application/json"
    assert "message" in answer.json()
