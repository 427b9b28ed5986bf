from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import Client

from bookwise.transfers.models import ReassignmentPlan, Transfer
from bookwise.transfers.selectors import transfers_waiting_for
from tests import factories
from tests.transfers.helpers import EFFECTIVE, SECTIONS, book, draft, introduced

pytestmark = pytest.mark.django_db


def test_list_page_shows_waiting_and_is_scoped(org, login):
    draft(org, book(org))
    page = login(org["R2"]).get("/transfers/")
    assert page.status_code == 200 and b"ACME" in page.content
    other = login(org["R3"]).get("/transfers/")
    assert other.status_code == 200 and b"ACME" not in other.content and b"No transfers" in other.content


def test_anonymous_goes_to_login(client):
    assert client.get("/transfers/").status_code == 302


def test_new_transfer_page_with_csrf(org):
    book(org)
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["M1"].user)
    page = client.get("/transfers/new/ACME/")
    assert page.status_code == 200 and b"Recommended recipients" in page.content and b"R2" in page.content
    token = page.cookies["csrftoken"].value
    form = {
        "to": "R2",
        "effective_date": EFFECTIVE.isoformat(),
        "reason": "rebalance",
        "csrfmiddlewaretoken": token,
    }
    response = client.post("/transfers/new/ACME/", form)
    assert response.status_code == 302
    assert Transfer.objects.get().to_rep == org["R2"]


def test_new_transfer_page_picks_the_incoming_rep_by_name(org, login):
    """The incoming rep is a type-ahead of the reps the manager may hand to, resolved by name;
    another team's rep is "no rep called", as a name nobody has."""
    book(org)
    m1 = login(org["M1"])
    page = m1.get("/transfers/new/ACME/?to=R2").content.decode()
    assert 'list="to-choices"' in page and '<option value="Rep R2 (R2)">' in page
    box = next(tag for tag in page.split("<input")[1:] if 'name="to"' in tag.split(">")[0])
    assert 'value="Rep R2 (R2)"' in box.split(">")[0]  # the recommended rep, picked
    assert "(R3)" not in page  # M2's reps are not offered to M1
    form = {"effective_date": EFFECTIVE.isoformat(), "reason": "rebalance"}
    refused = m1.post("/transfers/new/ACME/", {**form, "to": "Rep R3"}).content.decode()
    assert "Incoming rep" in refused and "no rep called &#x27;Rep R3&#x27;" in refused
    assert not Transfer.objects.exists()
    assert m1.post("/transfers/new/ACME/", {**form, "to": "rep r2"}).status_code == 302
    assert Transfer.objects.get().to_rep == org["R2"]


def test_new_transfer_page_denials(org, login):
    book(org)
    refused = login(org["R1"]).get("/transfers/new/ACME/")  # the owner sees the account: the reason
    assert refused.status_code == 403 and b"Only the account&#x27;s managers or an admin" in refused.content
    form = {"to": "R2", "effective_date": EFFECTIVE.isoformat(), "reason": "rebalance"}
    posted = login(org["R1"]).post("/transfers/new/ACME/", form)
    assert posted.status_code == 403 and not Transfer.objects.exists()
    assert login(org["M2"]).get("/transfers/new/ACME/").status_code == 404  # another team's: unseen
    assert login(org["R3"]).get("/transfers/new/ACME/").status_code == 404


def test_new_transfer_page_shows_service_errors(org, login):
    book(org)
    form = {"to": "R1", "effective_date": EFFECTIVE.isoformat(), "reason": "rebalance"}
    page = login(org["M1"]).post("/transfers/new/ACME/", form)
    assert page.status_code == 200 and b"already owns" in page.content


def test_detail_steps_through_the_workflow(org, login):
    transfer = draft(org, book(org))
    client = login(org["M1"])
    base = f"/transfers/{transfer.pk}/"
    assert client.post(base + "handoff/").status_code == 302
    assert client.post(base + "introduce/", {"meeting_date": EFFECTIVE.isoformat()}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == "handoff"  # refused: interview incomplete
    client.post(base + "interview/", SECTIONS)
    client.post(base + "introduce/", {"meeting_date": EFFECTIVE.isoformat(), "attendees": "client, R1, R2"})
    client.post(base + "complete/")  # no "I confirm": refused
    transfer.refresh_from_db()
    assert transfer.state == "introduced"
    client.post(base + "complete/", {"confirm": "on"})
    transfer.refresh_from_db()
    assert transfer.state == "completed"
    page = client.get(base)
    assert page.status_code == 200 and SECTIONS["key_contacts"].encode() in page.content


def test_detail_denials_and_incoming_rep_reads(org, login):
    transfer = introduced(org, book(org))
    base = f"/transfers/{transfer.pk}/"
    incoming = login(org["R2"]).get(base)
    assert incoming.status_code == 200 and SECTIONS["past_obstacles"].encode() in incoming.content
    assert b"Complete transfer" not in incoming.content
    assert login(org["R3"]).get(base).status_code == 404
    assert login(org["M2"]).get(base).status_code == 404
    assert login(org["R3"]).post(base + "complete/").status_code == 404
    login(org["R2"]).post(base + "complete/")
    transfer.refresh_from_db()
    assert transfer.state == "introduced"


def test_plan_pages(org, login):
    factories.account("B1", owner=org["R1"])
    client = login(org["M1"])
    assert client.get("/transfers/plans/new/R1/").status_code == 200
    response = client.post(
        "/transfers/plans/new/R1/", {"effective_date": EFFECTIVE.isoformat(), "reason": "departure"}
    )
    plan = ReassignmentPlan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/transfers/plans/{plan.pk}/")
    page = client.get(f"/transfers/plans/{plan.pk}/")
    assert page.status_code == 200 and b"B1" in page.content
    assert b'value="R2"' in page.content and b'value="R3"' not in page.content  # only M1's team
    line = plan.lines.get()
    client.post(f"/transfers/plans/{plan.pk}/lines/{line.pk}/", {"to": "R2"})
    assert client.post(f"/transfers/plans/{plan.pk}/apply/").status_code == 302
    assert Transfer.objects.filter(plan=plan).count() == 1
    assert login(org["M2"]).get(f"/transfers/plans/{plan.pk}/").status_code == 404
    assert login(org["R2"]).get("/transfers/plans/new/R1/").status_code == 404
    assert login(org["M2"]).get("/transfers/plans/new/R1/").status_code == 404


def test_managers_page(org, login):
    a = factories.account("MGR1", owner=org["M1"])
    factories.order(a, date(2026, 1, 5), "900.00")
    page = login(org["D1"]).get("/transfers/managers/")
    assert page.status_code == 200 and b"MGR1" in page.content and b"900.00" in page.content
    assert b"MGR1" not in login(org["M2"]).get("/transfers/managers/").content
    assert b"No manager" in login(org["R1"]).get("/transfers/managers/").content


def test_tracking_page(org, login):
    acme = factories.account("ACME")
    factories.own(acme, org["R1"], date(2020, 1, 1), date(2024, 12, 31))
    factories.own(acme, org["R2"], date(2025, 1, 1), reason="departure")
    factories.order(acme, date(2025, 3, 1), "500.00")
    page = login(org["D1"]).get("/transfers/tracking/?group=reason")
    assert page.status_code == 200 and b"<td>Departure</td>" in page.content and b"chart-" in page.content
    by_rep = login(org["D1"]).get("/transfers/tracking/?group=rep").content.decode()
    assert "<td>Rep R2 <span" in by_rep  # a rep by name, the id beside it
    assert b"No completed transfers" in login(org["R3"]).get("/transfers/tracking/").content


def test_waiting_panel_for_incoming_rep_and_manager(org):
    draft(org, book(org))
    assert transfers_waiting_for(user=org["R2"].user).count() == 1
    assert transfers_waiting_for(user=org["M1"].user).count() == 1
    assert transfers_waiting_for(user=org["R3"].user).count() == 0
    html = render_to_string(
        "transfers/_waiting_panel.html", {"transfers_waiting": transfers_waiting_for(user=org["R2"].user)}
    )
    assert "ACME" in html and str(EFFECTIVE) in html


def test_dashboard_shows_the_waiting_panel_only_when_something_waits(org, login):
    draft(org, book(org))
    home = login(org["R2"]).get("/")
    assert home.status_code == 200 and b'id="panel-transfers"' in home.content and b"ACME" in home.content
    assert b'id="panel-transfers"' not in login(org["R3"]).get("/").content


def test_account_panel_tag_shows_interview_and_transfer_link(org, rf):
    from django.template import Context, Template

    from bookwise.transfers import services

    account = book(org)
    transfer = introduced(org, account)
    tpl = Template("{% load transfers %}{% transfer_panel account %}")
    request = rf.get("/")
    request.user = org["R2"].user
    html = tpl.render(Context({"request": request, "account": account}))
    assert SECTIONS["key_contacts"] in html and f"/transfers/{transfer.pk}/" in html
    services.transfer_complete(transfer=transfer, actor=org["M1"].user)
    html = tpl.render(Context({"request": request, "account": account}))
    assert SECTIONS["key_contacts"] in html and "Transfer this account" not in html  # the new owner
    request.user = org["M1"].user
    assert "Transfer this account" in tpl.render(Context({"request": request, "account": account}))
