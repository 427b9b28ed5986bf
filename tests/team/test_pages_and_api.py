from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client

from bookwise.accounts.models import Activity
from tests import factories as f
from tests.team.scenario import build

pytestmark = pytest.mark.django_db
PAGES = [
    "/team/",
    "/team/scorecards/",
    "/team/signals/",
    "/team/timesheet/",
    "/team/focus/",
    "/team/competency/",
]
API = [
    "/api/reps/R1/scorecard",
    "/api/teams/M1/time-study",
    "/api/reps/R1/signals",
    "/api/reps/M1/assessments",
    "/api/team/focus",
]


@pytest.mark.parametrize("url", PAGES + ["/team/scorecards/R1/"])
def test_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("url", API)
def test_api_needs_authentication(org, url):
    response = Client().get(url)
    assert response.status_code == 401 and response.json()["message"] == "Authentication required."


@pytest.mark.parametrize("url", PAGES)
def test_every_role_opens_the_pages(org, login, url):
    for who in ("D1", "M1", "R1"):
        assert login(org[who]).get(url).status_code == 200


def test_scorecard_page_grants_and_denials(org, login):
    build(org)
    assert login(org["R1"]).get("/team/scorecards/R1/?date=2026-06-30").status_code == 200
    assert login(org["R1"]).get("/team/scorecards/R2/").status_code == 404  # a peer
    assert login(org["M2"]).get("/team/scorecards/R1/").status_code == 404  # another team
    page = login(org["M1"]).get("/team/scorecards/R1/?date=2026-06-30")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Gross-profit growth of the book" in body and "New accounts opened" not in body
    assert "<polyline" in body
    assert login(f.admin_user()).get("/team/scorecards/R1/").status_code == 200


def test_scorecard_list_shows_only_the_scope(org, login):
    build(org)
    body = login(org["R1"]).get("/team/scorecards/?date=2026-06-30").content.decode()
    assert "/team/scorecards/R1/" in body and "/team/scorecards/R2/" not in body


def test_time_study_page_for_a_team_and_denials(org, login):
    f.activity(org["R1"], date(2026, 1, 5), "6", "account_nurturing")
    f.activity(org["R2"], date(2026, 1, 5), "4", "prospecting")
    page = login(org["M1"]).get("/team/?start=2026-01-01&end=2026-03-31")
    body = page.content.decode()
    # 60 % nurturing, but the team already has a hunter (R2) and an account manager (R1)
    assert "team of Rep M1" in body and "Separate hunters from account managers" not in body
    assert "Roles already split" in body
    assert "the roles are already split: 1 hunter and 1 account manager" in body
    assert "60.0 %" in body
    # a team outside the user's view is refused like a name nobody has (the picker's message,
    # no figures), never shown
    for outsider in (org["R1"], org["M2"]):
        refused = login(outsider).get("/team/?team=M1").content.decode()
        assert "Team: no rep called &#x27;M1&#x27;" in refused and "team of Rep M1" not in refused
    assert login(org["D1"]).get("/team/?team=M1").status_code == 200
    assert login(org["M1"]).get("/team/?start=2026-13-01").status_code == 404


def test_signals_page_lists_own_signals_only(org, login):
    r3 = org["R3"]
    r3.capacity = 1
    r3.save()
    f.account("X1", owner=r3)
    f.account("X2", owner=r3)
    assert "Over capacity" in login(org["M2"]).get("/team/signals/").content.decode()
    assert "/transfers/new/X1/" in login(org["M2"]).get("/team/signals/").content.decode()
    assert "Over capacity" not in login(org["M1"]).get("/team/signals/").content.decode()
    assert "Over capacity" not in login(org["R4"]).get("/team/signals/").content.decode()


def sheet_form(monday, **cells):
    return {f"h_{(monday + timedelta(days=d)).isoformat()}_{k}": v for (d, k), v in cells.items()}


def test_timesheet_saves_through_the_service_with_csrf(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["R1"].user)
    monday = date(2026, 3, 2)
    page = client.get(f"/team/timesheet/?week={monday + timedelta(days=2)}")
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    data = {"csrfmiddlewaretoken": token, f"h_{monday}_prospecting": "3.5", f"h_{monday}_admin": "1"}
    response = client.post(f"/team/timesheet/?week={monday}", data)
    assert response.status_code == 302
    saved = {(a.date, a.kind): a.hours for a in Activity.objects.filter(rep=org["R1"])}
    assert saved == {(monday, "prospecting"): Decimal("3.5"), (monday, "admin"): Decimal("1")}
    # Saving again replaces the week.
    client.post(
        f"/team/timesheet/?week={monday}", {"csrfmiddlewaretoken": token, f"h_{monday}_training": "2"}
    )
    assert list(Activity.objects.filter(rep=org["R1"]).values_list("kind", flat=True)) == ["training"]


def test_timesheet_rejects_bad_hours_and_other_peoples_sheets(org, login):
    client = login(org["R1"])
    monday = date(2026, 3, 2)
    response = client.post(f"/team/timesheet/?week={monday}", {f"h_{monday}_admin": "25"}, follow=True)
    assert "not a number of hours" in response.content.decode()
    response = client.post(f"/team/timesheet/?week={monday}", {f"h_{monday}_admin": "abc"}, follow=True)
    assert "is not a number of hours" in response.content.decode()
    assert not Activity.objects.exists()
    assert client.get("/team/timesheet/?rep=R2").status_code == 404
    assert login(org["M1"]).get("/team/timesheet/?rep=R1").status_code == 404
    assert login(f.admin_user()).get("/team/timesheet/?rep=R1").status_code == 200


def test_api_scorecard_grants_and_denials(org, login):
    build(org)
    data = login(org["R1"]).get("/api/reps/R1/scorecard?date=2026-06-30").json()
    assert data["rep_id"] == "R1" and data["role"] == "account_manager"
    growth = data["metrics"][0]
    assert growth == {
        "key": "gp_growth", "label": "Gross-profit growth of the book", "kind": "money",
        "value": "540.00", "previous": "400.00", "team_median": "540.00",
        "lower_is_better": False, "note": "",
    }  # fmt: skip
    assert data["metrics"][2]["value"] == 0.25
    denied = login(org["R1"]).get("/api/reps/R2/scorecard")
    assert denied.status_code == 404 and denied.json() == {"message": "No such rep.", "extra": {}}
    assert login(org["M2"]).get("/api/reps/R1/scorecard").status_code == 404
    assert login(org["D1"]).get("/api/reps/R2/scorecard?date=2026-06-30").json()["metrics"][0]["value"] == 1
    assert Client().get("/api/reps/R1/scorecard").status_code == 401
    assert login(org["R1"]).get("/api/reps/R1/scorecard?date=junk").status_code == 422


def test_api_time_study_and_denials(org, login):
    f.activity(org["R1"], date(2026, 1, 5), "5", "account_nurturing")
    f.activity(org["R2"], date(2026, 1, 5), "5", "prospecting")
    data = login(org["M1"]).get("/api/teams/M1/time-study?start=2026-01-01&end=2026-01-31").json()
    assert data["team"] == "M1" and [r["rep_id"] for r in data["reps"]] == ["R1", "R2"]
    assert data["reps"][0]["hours"]["account_nurturing"] == 5.0
    assert data["summary"]["nurturing_share"] == 0.5 and data["summary"]["recommend_separation"] is False
    assert login(org["R1"]).get("/api/teams/M1/time-study").status_code == 404
    assert login(org["M2"]).get("/api/teams/M1/time-study").status_code == 404
    assert login(org["M1"]).get("/api/teams/R1/time-study").status_code == 404  # R1 has no team
    assert login(org["D1"]).get("/api/teams/M1/time-study").status_code == 200
    bad = login(org["M1"]).get("/api/teams/M1/time-study?start=2026-02-01&end=2026-01-01")
    assert bad.status_code == 422


def test_api_signals_grants_and_denials(org, login):
    assert login(org["R1"]).get("/api/reps/R1/signals").json()["signals"] == []
    assert login(org["R1"]).get("/api/reps/R2/signals").status_code == 404
    assert login(org["M1"]).get("/api/reps/R2/signals").status_code == 200
