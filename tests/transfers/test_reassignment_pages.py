"""Issue 11 item 2 through the pages (Django's test client) and the plan API.

On today's main: there is no plan list (/transfers/plans/ is a 404), no remove button, no
confirmation page, no per-recipient summary or left-out list, and the rep's own page links
to "Plan the handover of this book", a 404 for them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bookwise.transfers import planning
from bookwise.transfers.models import PlanState, ReassignmentPlan, Transfer
from tests import factories
from tests.transfers.helpers import d, draft

pytestmark = pytest.mark.django_db
DAY = d(2026, 6, 1)


@pytest.fixture
def book(org):
    org["R1"].end_date = d(2026, 6, 30)
    org["R1"].save()
    accounts = [factories.account(f"B{i}", owner=org["R1"], territory=org["R1"].territory) for i in range(3)]
    factories.order(accounts[0], d(2026, 1, 10), "12345.60")
    return accounts


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def propose(client, rep="R1", effective=None):
    effective = effective or f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}"
    response = client.post(
        f"/transfers/plans/new/{rep}/", {"effective_date": effective, "reason": "departure"}
    )
    assert response.status_code == 302, text(response)
    return ReassignmentPlan.objects.latest("id")


def test_plan_list_is_linked_from_transfers_and_proposes_through_a_picker(org, login, book):
    org["R1"].end_date = timezone.localdate() + timedelta(days=10)
    org["R1"].save()
    client = login(org["M1"])
    assert 'href="/transfers/plans/"' in client.get("/transfers/").content.decode()
    page = client.get("/transfers/plans/")
    assert page.status_code == 200 and "Propose a plan" in text(page)
    assert (
        f'<option value="R1">Rep R1 (leaves {org["R1"].end_date:%Y-%m-%d})</option>' in page.content.decode()
    )
    picked = client.get("/transfers/plans/new/", {"rep": "R1"})
    assert picked.status_code == 302 and picked["Location"] == "/transfers/plans/new/R1/"
    form = client.get(picked["Location"])
    day_after = org["R1"].end_date + timedelta(days=1)
    assert f'value="{day_after:%Y-%m-%d}"' in form.content.decode()  # the day after the rep's last day
    plan = propose(client)
    listed = text(client.get("/transfers/plans/", {"state": "draft"}))
    assert f"Plan {plan.pk}" in listed and "Rep R1" in listed and "Draft" in listed
    assert f"Plan {plan.pk}" not in text(client.get("/transfers/plans/", {"state": "applied"}))


def test_plan_page_shows_summary_tolerance_and_left_out(org, login, book):
    draft(org, book[2], to_key="R2", actor_key="M1")
    client = login(org["M1"])
    plan = propose(client)
    page = text(client.get(f"/transfers/plans/{plan.pk}/"))
    assert "Recipients" in page and "12,345.60" in page  # revenue, money formatted
    assert re.search(r"Rep R2 2 12,345.60 \d+\.\d\d pts · [\d.]+ % \d+\.\d\d pts · [\d.]+ %", page)
    assert "Balance: each recipient should end within ±10 %" in page
    assert "Left out of this plan" in page and "open transfer to Rep R2 (draft)" in page
    assert "Create all 2 transfers" in page and "Reassign" in page and "Remove" in page


def test_reassign_with_the_picker_and_a_refusal_in_words(org, login, book):
    client = login(org["D1"])
    plan = propose(client)
    page = client.get(f"/transfers/plans/{plan.pk}/").content.decode()
    assert '<option value="R4"' in page and '<option value="R1"' not in page  # never the leaving rep
    line = plan.lines.get(account=book[0])
    done = client.post(f"/transfers/plans/{plan.pk}/lines/{line.pk}/", {"to": "R4"}, follow=True)
    assert f"{book[0].name} now goes to Rep R4." in text(done)
    line.refresh_from_db()
    assert line.to_rep == org["R4"] and line.edited
    org["R3"].capacity = 0
    org["R3"].save()
    refused = client.post(f"/transfers/plans/{plan.pk}/lines/{line.pk}/", {"to": "R3"}, follow=True)
    assert "Rep R3 has no capacity." in text(refused)
    line.refresh_from_db()
    assert line.to_rep == org["R4"]


def test_remove_confirm_and_apply(org, login, book):
    client = login(org["M1"])
    plan = propose(client)
    line = plan.lines.get(account=book[1])
    removed = client.post(f"/transfers/plans/{plan.pk}/lines/{line.pk}/remove/", follow=True)
    assert "was removed from the plan" in text(removed) and "Create all 2 transfers" in text(removed)
    confirm = client.get(f"/transfers/plans/{plan.pk}/apply/")
    assert confirm.status_code == 200 and "Yes, create the transfers" in text(confirm)
    assert "cannot be undone" in text(confirm) and not Transfer.objects.exists()
    applied = client.post(f"/transfers/plans/{plan.pk}/apply/", follow=True)
    assert "2 transfers drafted from the plan." in text(applied)
    assert sorted(Transfer.objects.filter(plan=plan).values_list("account__external_id", flat=True)) == [
        "B0",
        "B2",
    ]
    plan.refresh_from_db()
    assert plan.state == PlanState.APPLIED
    after = client.get(f"/transfers/plans/{plan.pk}/").content.decode()
    assert "Applied" in after and "Create all" not in after and ">Reassign<" not in after


def test_apply_refusal_names_the_line_on_the_page(org, login, book):
    client = login(org["M1"])
    plan = propose(client)
    line = plan.lines.select_related("to_rep").get(account=book[0])
    draft(org, book[0], to_key="R2", actor_key="M1")
    refused = client.post(f"/transfers/plans/{plan.pk}/apply/", follow=True)
    assert f"{book[0].name} (B0) to {line.to_rep.name}: the account already has an open transfer" in text(
        refused
    )
    assert Transfer.objects.filter(plan=plan).count() == 0


def test_discard(org, login, book):
    client = login(org["M1"])
    plan = propose(client)
    page = client.get(f"/transfers/plans/{plan.pk}/").content.decode()
    assert 'name="confirm" value="yes" required> I confirm: discard this plan' in page  # asked in the browser
    unconfirmed = text(client.post(f"/transfers/plans/{plan.pk}/discard/", follow=True))
    assert "Nothing discarded: tick “I confirm: discard this plan” to confirm." in unconfirmed
    assert ReassignmentPlan.objects.get(pk=plan.pk).state == "draft"
    discarded = client.post(f"/transfers/plans/{plan.pk}/discard/", {"confirm": "yes"}, follow=True)
    assert "The plan was discarded." in text(discarded)
    assert f"Plan {plan.pk}" in text(client.get("/transfers/plans/", {"state": "discarded"}))


def test_denials(org, login, book):
    plan = propose(login(org["M1"]))
    line = plan.lines.first()
    other = login(org["M2"])
    assert f"Plan {plan.pk}" not in text(other.get("/transfers/plans/"))
    for url in (f"/transfers/plans/{plan.pk}/", f"/transfers/plans/{plan.pk}/apply/"):
        assert other.get(url).status_code == 404
    assert other.post(f"/transfers/plans/{plan.pk}/lines/{line.pk}/remove/").status_code == 404
    assert other.post(f"/transfers/plans/{plan.pk}/apply/").status_code == 404
    assert login(org["R1"]).post(f"/transfers/plans/{plan.pk}/discard/").status_code == 404
    assert plan.lines.count() == 3 and not Transfer.objects.exists()
    assert login(org["R1"]).get("/transfers/plans/").status_code == 200  # empty for a rep
    assert f"Plan {plan.pk}" not in text(login(org["R1"]).get("/transfers/plans/"))


def test_handover_link_on_the_rep_page_only_for_who_may_plan(org, login, book):
    link = "Plan the handover of this book"
    own = login(org["R1"]).get("/reps/R1/")
    assert own.status_code == 200 and link not in own.content.decode()  # was a 404 link on main
    manager = login(org["M1"]).get("/reps/R1/").content.decode()
    assert link in manager
    href = re.search(r'href="([^"]+)">Plan the handover', manager).group(1)
    assert login(org["M1"]).get(href).status_code == 200


def test_plan_api_list_remove_discard(org, login, book):
    client = login(org["M1"])
    plan = planning.plan_create(
        from_rep=org["R1"], actor=org["M1"].user, day=DAY, effective_date=d(2026, 7, 1)
    )
    listed = client.get("/api/transfers/plans", {"state": "draft"}).json()
    assert [p["id"] for p in listed] == [plan.pk] and listed[0]["from_name"] == "Rep R1"
    body = client.get(f"/api/transfers/plans/{plan.pk}").json()
    assert body["recipients"][0]["name"] == "Rep R2" and body["balance"]["tolerance"] == 0.1
    assert body["bound_scope"].startswith("every candidate pair")
    removed = client.delete(f"/api/transfers/plans/{plan.pk}/lines/B1")
    assert removed.status_code == 200 and [x["account_id"] for x in removed.json()["excluded"]] == ["B1"]
    refused = client.put(
        f"/api/transfers/plans/{plan.pk}/lines/B0", {"to": None}, content_type="application/json"
    )
    assert refused.status_code == 422 and "remove the line" in refused.json()["message"]
    assert login(org["M2"]).delete(f"/api/transfers/plans/{plan.pk}/lines/B0").status_code == 404
    assert client.post(f"/api/transfers/plans/{plan.pk}/discard").json()["state"] == "discarded"
    again = client.post(f"/api/transfers/plans/{plan.pk}/apply")
    assert again.status_code == 422 and "discarded" in again.json()["message"]


def test_an_absurd_effective_date_is_refused_in_words(org, login, book):
    client = login(org["M1"])
    today = timezone.localdate()
    page = client.post("/transfers/plans/new/R1/", {"effective_date": "2099-12-31", "reason": "departure"})
    assert page.status_code == 200 and not ReassignmentPlan.objects.exists()
    ahead = today + timedelta(days=365)
    assert f"Effective date: 2099-12-31 is after 365 days after today ({ahead:%Y-%m-%d})." in text(page)
