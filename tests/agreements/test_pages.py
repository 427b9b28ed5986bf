"""The pages (units with Django's client; tests/browser clicks through them): what each
shows, who gets a 404, the form's refusals, the typed confirmation of a cancellation, the
panels on the account page, the home page and the account plan."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from bookwise.agreements.models import Agreement
from bookwise.plans import services as plan_services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(org):
    today = timezone.localdate()
    a = factories.account("A1", owner=org["R1"], name="Acme Pumps")
    factories.order(a, today, "1200.00", product_line="Pumps")
    factories.agreement(a, "AG-1", owner=org["R1"], start_date=date(today.year, 1, 1),
                        end_date=date(today.year, 12, 31))  # fmt: skip
    return org


@pytest.mark.parametrize("who", ["R1", "M1", "D1"])
def test_the_team_sees_the_agreement_everywhere(book, login, who):
    client = login(book[who])
    assert "AG-1" in client.get("/agreements/").content.decode()
    detail = client.get("/agreements/AG-1/").content.decode()
    assert "Burn-down of AG-1" in detail and "Acme Pumps" in detail
    assert "AG-1" in client.get("/accounts/A1/").content.decode()
    assert "Contract coverage" in client.get("/").content.decode()


@pytest.mark.parametrize("who", ["R3", "M2", "R2"])
def test_others_get_404(book, login, who):
    client = login(book[who])
    assert client.get("/agreements/AG-1/").status_code == 404
    assert client.post("/agreements/AG-1/status/", {"status": "cancelled"}).status_code == 404
    assert "AG-1" not in client.get("/agreements/").content.decode()


def test_pipeline_and_coverage_pages(book, login):
    client = login(book["M1"])
    assert "Renewal pipeline on" in client.get("/agreements/renewals/").content.decode()
    page = client.get("/agreements/coverage/?by=territory").content.decode()
    assert "Retention of contracted and uncontracted accounts" in page and "<th>Territory</th>" in page


@pytest.mark.parametrize(
    "asked, says",
    [("2099-01-01", "Date: 2099-01-01 is after today"), ("yesterday", "Date: “yesterday” is not a date"),
     ("1850-01-01", "Date: 1850-01-01 is before 1900-01-01")],
)  # fmt: skip
def test_a_date_that_makes_no_sense_is_refused_not_read_as_today(book, login, asked, says):
    client = login(book["M1"])
    for page in ("/agreements/", "/agreements/AG-1/", "/agreements/renewals/", "/agreements/coverage/"):
        answer = client.get(page, {"date": asked})
        assert answer.status_code == 422 and says in answer.content.decode(), page
    day = timezone.localdate().replace(day=1).isoformat()
    assert client.get("/agreements/renewals/", {"date": day}).status_code == 200


def test_cancelling_asks_for_a_typed_confirmation(book, login):
    client = login(book["M1"])
    client.post("/agreements/AG-1/status/", {"status": "cancelled"})
    assert Agreement.objects.get(external_id="AG-1").status == "active"
    client.post(
        "/agreements/AG-1/status/", {"status": "cancelled", "confirm": "I confirm: cancel this agreement"}
    )
    assert Agreement.objects.get(external_id="AG-1").status == "cancelled"


def test_the_form_records_an_agreement_and_shows_refusals_on_their_field(book, login):
    client = login(book["R1"])
    form = {"agreement_id": "AG-2", "account": "A1", "kind": "kanban", "start_date": "2026-01-01",
            "end_date": "2025-06-30", "committed_amount": "5000", "notice_days": "90", "status": "draft",
            "price_terms": "-"}  # fmt: skip
    refused = client.post("/agreements/new/", form).content.decode()
    assert "is before the start date" in refused and not Agreement.objects.filter(external_id="AG-2").exists()
    form.update(end_date="2026-12-31", price_terms="List less 5 %", owner="R1")
    assert client.post("/agreements/new/", form).status_code == 302
    assert Agreement.objects.get(external_id="AG-2").owner == book["R1"]
    form.update(agreement_id="AG-3", account="B9")
    assert "no account B9 in your book" in client.post("/agreements/new/", form).content.decode()


def test_sales_ops_are_not_offered_the_agreement_forms(book, login):
    client = login(factories.sales_ops_user())
    assert client.get("/agreements/AG-1/").status_code == 200  # they read every agreement
    for page in ("/agreements/new/", "/agreements/AG-1/edit/"):
        answer = client.get(page)
        assert answer.status_code == 403 and "change accounts only through imports" in answer.content.decode()


def test_the_account_plan_shows_the_agreements_and_takes_the_objective(book, login):
    account = factories.account("A2", owner=book["R1"])
    year = timezone.localdate().year
    plan = plan_services.plan_create(
        account=account, year=year, actor=book["R1"].user, day=timezone.localdate()
    )
    page = login(book["R1"]).get(f"/plans/{plan.pk}/").content.decode()
    assert "Supply agreements" in page and "Supply agreement secured" in page
    plan_a1 = plan_services.plan_create(account=Agreement.objects.get().account, year=year,
                                        actor=book["R1"].user, day=timezone.localdate())  # fmt: skip
    assert "AG-1" in login(book["R1"]).get(f"/plans/{plan_a1.pk}/").content.decode()
