"""Plan pages: grants and denials (404 for what a user may not see, 403 for a step they may not take)."""

from datetime import date

import pytest
from django.test import Client

from bookwise.plans.models import AccountPlan, PlanMark
from tests import factories

from .helpers import approved, book, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(org):
    a1, a2, a3 = book(org)
    factories.order(a1, date(2026, 1, 10), "15000.00", gp="3000.00")
    return {"A1": approved(a1, org["M1"].user), "A3": draft(a3)}


def test_pages_need_a_login(plans):
    for url in ["/plans/", "/plans/coverage/", "/plans/overdue/", f"/plans/{plans['A1'].pk}/"]:
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["R1", "M1", "D1"])
def test_owner_and_managers_see_the_plan(plans, login, who, org):
    plan = plans["A1"]
    client = login(org[who])
    for suffix in ["", "edit/", "review/", "pdf/", "versions/1/"]:
        assert client.get(f"/plans/{plan.pk}/{suffix}").status_code == 200, suffix
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Long-standing customer" in page and "Pro-rated target" in page


@pytest.mark.parametrize("who", ["R2", "R3", "M2"])
def test_other_reps_get_404(plans, login, who, org):
    plan = plans["A1"]
    client = login(org[who])
    for suffix in ["", "edit/", "review/", "pdf/", "versions/1/"]:
        assert client.get(f"/plans/{plan.pk}/{suffix}").status_code == 404, suffix
    assert client.post(f"/plans/{plan.pk}/submit/").status_code == 404
    assert client.get("/plans/account/A1/").status_code == 404
    assert client.post("/plans/account/A1/mark/").status_code == 404


def test_user_without_rep_sees_nothing(plans, login):
    user = factories.admin_user("viewer")
    user.is_staff = user.is_superuser = False
    user.save()
    client = login(user)
    assert client.get(f"/plans/{plans['A1'].pk}/").status_code == 404
    assert "No account plans" in client.get("/plans/").content.decode()


def test_sales_ops_read_the_plan_but_are_not_offered_its_forms(plans, login):
    client = login(factories.sales_ops_user())
    plan = plans["A1"]
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Long-standing customer" in page and f"/plans/{plan.pk}/edit/" not in page
    for suffix in ["edit/", "review/"]:
        answer = client.get(f"/plans/{plan.pk}/{suffix}")
        assert answer.status_code == 403 and "change accounts only through imports" in answer.content.decode()


def test_unknown_plan_and_version_are_404(plans, login, org):
    client = login(org["D1"])
    assert client.get("/plans/999999/").status_code == 404
    assert client.get(f"/plans/{plans['A1'].pk}/versions/7/").status_code == 404
    assert client.post(f"/plans/{plans['A1'].pk}/explode/").status_code == 404


def test_index_lists_visible_plans(plans, login, org):
    page = login(org["R1"]).get("/plans/?year=2026").content.decode()
    assert "Customer A1" in page and "Customer A3" not in page
    page = login(org["D1"]).get("/plans/?year=2026").content.decode()
    assert "Customer A1" in page and "Customer A3" in page


def test_coverage_page(plans, login, org):
    page = login(org["M2"]).get("/plans/coverage/?date=2026-03-01&by=team").content.decode()
    assert "Customer A3" in page and "Customer A1" not in page
    page = login(org["R1"]).get("/plans/coverage/?date=2026-03-01&by=territory").content.decode()
    assert "Every account that needs a plan has an approved plan" in page


def test_overdue_page(plans, login, org):
    assert "Customer A1" in login(org["M1"]).get("/plans/overdue/?date=2026-03-09").content.decode()
    assert (
        "No plan review is overdue"
        in login(org["M2"]).get("/plans/overdue/?date=2026-03-09").content.decode()
    )


def test_rep_creates_edits_and_submits_with_csrf(org):
    factories.account("A5", owner=org["R1"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["R1"].user)
    page = client.get("/plans/account/A5/")
    token = page.cookies["csrftoken"].value
    response = client.post("/plans/account/A5/", {"year": "2026", "csrfmiddlewaretoken": token})
    plan = AccountPlan.objects.get(account__external_id="A5")
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/edit/"
    form = {
        "csrfmiddlewaretoken": token, "situation": "Stable", "revenue_target": "50000", "gp_target": "",
        "growth_strategy": "", "risks": "", "contacts": "", "cadence": "quarterly",
        "obj-TOTAL_FORMS": "1", "obj-INITIAL_FORMS": "0", "obj-0-description": "Adopt ink",
        "obj-0-kind": "product_line", "obj-0-target": "Ink", "obj-0-owner": "R1", "obj-0-status": "open",
        "act-TOTAL_FORMS": "1", "act-INITIAL_FORMS": "0", "act-0-description": "Demo",
        "act-0-due_date": "2026-02-01",
    }  # fmt: skip
    assert client.post(f"/plans/{plan.pk}/edit/", form).status_code == 302
    plan.refresh_from_db()
    assert plan.situation == "Stable" and plan.objectives.get().owner == org["R1"]
    assert plan.actions.get().due_date == date(2026, 2, 1)
    assert client.post(f"/plans/{plan.pk}/submit/", {"csrfmiddlewaretoken": token}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted"
    assert client.post(f"/plans/{plan.pk}/approve/", {"csrfmiddlewaretoken": token}).status_code == 403


def test_submit_with_missing_sections_shows_the_message(org, login):
    a5 = factories.account("A5", owner=org["R1"])
    plan = draft(a5, situation="")
    response = login(org["R1"]).post(f"/plans/{plan.pk}/submit/", follow=True)
    assert "Required sections are empty: Situation summary" in response.content.decode()


def test_manager_approves_on_the_page(plans, org, login):
    a5 = factories.account("A5", owner=org["R1"])
    plan = draft(a5)
    login(org["R1"]).post(f"/plans/{plan.pk}/submit/")
    assert login(org["R2"]).post(f"/plans/{plan.pk}/approve/").status_code == 404
    assert login(org["M1"]).post(f"/plans/{plan.pk}/approve/").status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.version) == ("approved", 1)


def test_review_page_records_a_review(plans, org, login):
    plan = plans["A1"]
    objective = plan.objectives.get()
    response = login(org["R1"]).post(
        f"/plans/{plan.pk}/review/",
        {
            "review_date": "2026-03-01",
            f"status_{objective.pk}": "done",
            f"note_{objective.pk}": "won",
            "notes": "The service contract is signed.",
        },
    )
    assert response.status_code == 302
    assert plan.reviews.get().progress[0]["status"] == "done"


def test_only_managers_mark_accounts(plans, org, login):
    assert login(org["R1"]).post("/plans/account/A2/mark/").status_code == 403
    assert login(org["M1"]).post("/plans/account/A2/mark/", {"note": "key"}).status_code == 302
    assert PlanMark.objects.filter(account__external_id="A2").exists()
    assert login(org["M1"]).post("/plans/account/A2/mark/", {"unmark": "1"}).status_code == 302
    assert not PlanMark.objects.exists()


def test_pdf_download(plans, org, login):
    response = login(org["R1"]).get(f"/plans/{plans['A1'].pk}/pdf/")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_plan_page_has_the_print_stylesheet(plans, org, login):
    page = login(org["R1"]).get(f"/plans/{plans['A1'].pk}/").content.decode()
    assert "@media print" in page and "@page" in page and 'class="no-print"' in page


def test_overdue_panel_include_for_the_dashboard(plans, org):
    from django.template.loader import render_to_string

    from bookwise.plans.selectors import overdue_reviews_for

    items = overdue_reviews_for(user=org["M1"].user, day=date(2026, 3, 9))
    html = render_to_string("plans/_overdue_panel.html", {"overdue_reviews": items})
    assert "Customer A1" in html and f"/plans/{plans['A1'].pk}/" in html and ">9<" in html
    assert "No plan review is overdue" in render_to_string(
        "plans/_overdue_panel.html", {"overdue_reviews": []}
    )
    assert overdue_reviews_for(user=None, day=date(2026, 3, 9)) == []


def test_version_history_after_an_edit(plans, org, login):
    from bookwise.plans import services

    from .helpers import content

    plan = plans["A1"]
    services.plan_update(plan=plan, content=content(situation="Second thoughts."), actor=None)
    services.plan_submit(plan=plan, actor=None)
    manager = login(org["M1"])
    assert manager.post(f"/plans/{plan.pk}/approve/").status_code == 302
    page = manager.get(f"/plans/{plan.pk}/").content.decode()
    assert "Version 2" in page and "Version 1" in page and "Second thoughts." in page
    first = manager.get(f"/plans/{plan.pk}/versions/1/").content.decode()
    assert "Long-standing customer" in first and "Second thoughts." not in first


def test_manager_returns_a_submitted_plan(plans, org, login):
    plan = plans["A3"]
    login(org["R3"]).post(f"/plans/{plan.pk}/submit/")
    assert login(org["R3"]).post(f"/plans/{plan.pk}/return/").status_code == 403
    assert login(org["M2"]).post(f"/plans/{plan.pk}/return/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == "draft"
