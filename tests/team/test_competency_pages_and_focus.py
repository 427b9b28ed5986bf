from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client

from bookwise.team.competency_rules import COMPETENCIES
from bookwise.team.models import Assessment, DevelopmentAction
from bookwise.team.selectors.focus import manager_focus
from bookwise.team.services import assessment_record
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 30)


def rate_all(subject, role, actor, value=3):
    ratings = {c: (value, "seen in Q2") for c in COMPETENCIES}
    return assessment_record(subject=subject, assessor_role=role, ratings=ratings, actor=actor, day=DAY)


def test_assessments_visible_to_subject_chain_and_admins_only(org, login):
    rate_all(org["M1"], "self", org["M1"].user)
    for who, status in [("M1", 200), ("D1", 200), ("M2", 404), ("R1", 404)]:
        assert login(org[who]).get("/team/competency/M1/").status_code == status, who
        assert login(org[who]).get("/api/reps/M1/assessments").status_code == status, who
    assert (
        login(f.admin_user()).get("/api/reps/M1/assessments").json()["self"]["ratings"]["talent"]["rating"]
        == 3
    )
    # A director outside the chain sees everything else but not the assessments.
    other = f.rep("D2", role="director", login=True)
    assert login(other).get("/api/reps/M1/assessments").status_code == 404
    assert login(org["R1"]).get("/api/reps/R1/assessments").status_code == 200  # their own


def test_competency_list_is_scoped(org, login):
    assert "/team/competency/M1/" in login(org["D1"]).get("/team/competency/").content.decode()
    body = login(org["M2"]).get("/team/competency/").content.decode()
    assert "/team/competency/M2/" in body and "/team/competency/M1/" not in body
    assert "/team/competency/M1/" not in login(org["R1"]).get("/team/competency/").content.decode()


def test_self_and_director_assessment_pages_post_through_the_service(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["M1"].user)
    page = client.get("/team/competency/M1/assess/")
    assert page.status_code == 200 and "Self assessment" in page.content.decode()
    data = {f"rating_{c}": "4" for c in COMPETENCIES} | {
        "csrfmiddlewaretoken": page.cookies["csrftoken"].value
    }
    assert client.post("/team/competency/M1/assess/", data).status_code == 302
    saved = Assessment.objects.get()
    assert saved.assessor_role == "self" and saved.ratings.count() == 5
    assert saved.ratings.get(competency="tracking").data_evidence  # pre-filled data evidence kept
    director = Client()
    director.force_login(org["D1"].user)
    assert "Director assessment" in director.get("/team/competency/M1/assess/").content.decode()
    bad = director.post("/team/competency/M1/assess/", {"rating_talent": "4"}, follow=True)
    assert "from 1 to 5" in bad.content.decode() and Assessment.objects.count() == 1


def test_assess_page_denials(org, login):
    assert login(org["M2"]).get("/team/competency/M1/assess/").status_code == 404
    assert login(org["R1"]).get("/team/competency/M1/assess/").status_code == 404


def test_development_plan_page(org, login):
    client = login(org["D1"])
    form = {"competency": "pricing", "kind": "mentoring", "partner": "D1",
            "description": "Monthly pricing review", "due_date": "2026-09-30"}  # fmt: skip
    assert client.post("/team/competency/M1/", form).status_code == 302
    action = DevelopmentAction.objects.get()
    assert action.partner == org["D1"]
    assert client.post("/team/competency/M1/", {"complete": action.pk}).status_code == 302
    action.refresh_from_db()
    assert action.completed_on is not None
    body = client.post("/team/competency/M1/", {**form, "due_date": "soon"}, follow=True).content.decode()
    assert "is not a date" in body
    data = client.get("/api/reps/M1/assessments").json()
    assert data["actions"][0]["with"] == "D1" and data["readiness"]["ready"] is False
    assert login(org["M2"]).post("/team/competency/M1/", form).status_code == 404


def test_manager_focus_shares_and_flag(org, login):
    m1 = org["M1"]
    own = f.account("F1", owner=m1)
    team = f.account("F2", owner=org["R1"])
    f.order(own, date(2026, 2, 1), "300.00")
    f.order(team, date(2026, 2, 1), "700.00")
    f.activity(m1, date(2026, 3, 2), "10", "account_nurturing", own)
    f.activity(m1, date(2026, 3, 3), "20", "admin")
    focus = manager_focus(m1, DAY)
    assert focus.revenue_share == Decimal("0.3")  # exactly at the threshold: not a flag by itself
    assert focus.time_share == Decimal(10) / Decimal(30)
    assert focus.flagged
    data = login(org["D1"]).get("/api/team/focus?date=2026-06-30").json()
    assert [(r["rep_id"], r["revenue_share"], r["flagged"]) for r in data] == [
        ("M1", 0.3, True),
        ("M2", None, False),
    ]
    assert [r["rep_id"] for r in login(org["M2"]).get("/api/team/focus").json()] == ["M2"]
    assert login(org["R1"]).get("/api/team/focus").json() == []
    assert (
        'href="/transfers/plans/new/M1/">Reassign own accounts'
        in login(m1).get("/team/focus/?date=2026-06-30").content.decode()
    )


def test_the_assessment_form_shows_the_figures_formatted_and_stores_them_plain(org):
    """The data evidence on the form reads 12,345.67 and 100.0 % as the site's pages do; the
    assessment stores (and the API returns) the plain figures."""
    from bookwise.accounts.selectors import today

    account = f.account("BIG", owner=org["R1"], since=date(2020, 1, 1))
    f.order(account, today() - timedelta(days=30), "20000.00", gp="12345.67")
    client = Client()
    client.force_login(org["M1"].user)
    body = client.get("/team/competency/M1/assess/").content.decode()
    assert "gross-profit growth of the team&#x27;s book 12,345.67 (previous 0.00)" in body
    assert "team logo retention n/a" in body and "12345.67" not in body
    data = {f"rating_{c}": "4" for c in COMPETENCIES}
    assert client.post("/team/competency/M1/assess/", data).status_code == 302
    stored = Assessment.objects.get().ratings.get(competency="tracking").data_evidence
    assert "gross-profit growth of the team's book 12345.67 (previous 0.00)" in stored
