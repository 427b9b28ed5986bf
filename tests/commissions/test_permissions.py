"""Who sees, approves, disputes and resolves what: pages, API and CSV, denials included.

org: D1 director; M1 manages R1, R2; M2 manages R3, R4."""

import json
from datetime import date

import pytest
from django.test import Client

from bookwise.commissions.models import Dispute, Run
from bookwise.commissions.services import run_approve, run_compute
from tests import factories as f

from .helpers import load_plans

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org):
    load_plans()
    a1, a3 = f.account("A1", owner=org["R1"]), f.account("A3", owner=org["R3"])
    f.order(a1, date(2026, 1, 10), "1000.00", external_id="O1")
    f.order(a3, date(2026, 1, 11), "2000.00", external_id="O3")
    run = run_compute(period="2026-Q1")
    sts = {st.rep.external_id: st for st in run.statements.select_related("rep")}
    return org, run, sts


def api(client, method, path, body=None):
    fn = getattr(client, method)
    if body is None:
        return fn(path)
    return fn(path, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("R1", {"R1"}),
        ("R3", {"R3"}),
        ("M1", {"M1", "R1", "R2"}),
        ("M2", {"M2", "R3", "R4"}),
        ("D1", {"M1", "M2", "R1", "R2", "R3", "R4"}),
    ],
)
def test_statement_lists_are_scoped(setup, login, who, visible):
    org, _, _ = setup
    client = login(org[who])
    rows = client.get("/api/commissions/statements").json()
    assert {r["rep_id"] for r in rows} == visible
    page = client.get("/commissions/")
    assert page.status_code == 200
    for rep in ("R1", "R3"):
        assert (f"({rep})" in page.content.decode()) == (rep in visible)


@pytest.mark.parametrize(
    ("who", "target", "allowed"),
    [
        ("R1", "R1", True),
        ("R1", "R2", False),
        ("R1", "R3", False),
        ("M1", "R1", True),
        ("M1", "R3", False),
        ("M2", "R1", False),
        ("D1", "R3", True),
    ],
)
def test_statement_detail_csv_and_print_are_scoped(setup, login, who, target, allowed):
    org, _, sts = setup
    client = login(org[who])
    st = sts[target]
    expected = 200 if allowed else 404
    assert client.get(f"/api/commissions/statements/{st.pk}").status_code == expected
    assert client.get(f"/commissions/statements/{st.pk}/").status_code == expected
    assert client.get(f"/commissions/statements/{st.pk}/?print=1").status_code == expected
    csv = client.get(f"/commissions/statements/{st.pk}/csv/")
    assert csv.status_code == expected
    if allowed and target == "R1":
        assert csv.content.decode().splitlines()[1].startswith("O1,A1,2026-01-10,1000.00,1.0,50.00,")


def test_admin_sees_everything(setup):
    _, _, sts = setup
    client = Client()
    client.force_login(f.admin_user())
    assert len(client.get("/api/commissions/statements").json()) == 6
    assert client.get(f"/commissions/statements/{sts['R4'].pk}/").status_code == 200


def test_anonymous_is_refused(setup):
    _, run, sts = setup
    client = Client()
    assert client.get("/api/commissions/statements").status_code == 401
    assert client.get("/commissions/").status_code == 302
    assert client.get(f"/commissions/statements/{sts['R1'].pk}/csv/").status_code == 302


@pytest.mark.parametrize(("who", "allowed"), [("R1", False), ("M1", False), ("D1", True), ("admin", True)])
def test_only_admins_and_directors_approve(setup, login, who, allowed):
    org, run, _ = setup
    client = login(f.admin_user() if who == "admin" else org[who])
    response = api(client, "post", f"/api/commissions/runs/{run.pk}/approve", {})
    assert response.status_code == (200 if allowed else 403)
    assert Run.objects.get(pk=run.pk).status == ("approved" if allowed else "draft")


@pytest.mark.parametrize(("who", "allowed"), [("R1", False), ("M2", False), ("D1", True)])
def test_only_admins_and_directors_approve_on_the_page(setup, login, who, allowed):
    org, run, _ = setup
    client = Client(enforce_csrf_checks=True)
    client.force_login(org[who].user)
    page = client.get(f"/commissions/runs/{run.pk}/")
    if not allowed:
        client.post(f"/commissions/runs/{run.pk}/approve/")  # no CSRF token: refused anyway
        response = login(org[who]).post(f"/commissions/runs/{run.pk}/approve/", {"confirm": "yes"})
        assert response.status_code in (302, 404)
        assert Run.objects.get(pk=run.pk).status == "draft"
        return
    token = page.cookies["csrftoken"].value
    assert b'name="confirm"' in page.content
    unconfirmed = client.post(
        f"/commissions/runs/{run.pk}/approve/", {"csrfmiddlewaretoken": token}, follow=True
    )
    assert "Nothing approved" in unconfirmed.content.decode()
    assert Run.objects.get(pk=run.pk).status == "draft"
    response = client.post(
        f"/commissions/runs/{run.pk}/approve/", {"csrfmiddlewaretoken": token, "confirm": "yes"}
    )
    assert response.status_code == 302
    assert Run.objects.get(pk=run.pk).status == "approved"


@pytest.mark.parametrize(("who", "allowed"), [("R1", False), ("M1", False), ("D1", True)])
def test_only_admins_and_directors_compute_runs(setup, login, who, allowed):
    org, _, _ = setup
    response = api(login(org[who]), "post", "/api/commissions/runs", {"period": "2026-Q2"})
    assert response.status_code == (201 if allowed else 403)
    assert Run.objects.filter(period="2026-Q2").exists() == allowed


def test_runs_list_hides_totals_from_reps(setup, login):
    org, _, _ = setup
    (row,) = login(org["R1"]).get("/api/commissions/runs").json()
    assert (row["statements"], row["commission"]) == (1, None)
    (row,) = login(org["D1"]).get("/api/commissions/runs").json()
    assert (row["statements"], row["commission"]) == (6, "150.00")


def test_what_if_page_only_for_approvers(setup, login):
    org, _, _ = setup
    assert login(org["R1"]).get("/commissions/what-if/").status_code == 404
    assert login(org["M1"]).get("/commissions/what-if/").status_code == 404
    assert login(org["D1"]).get("/commissions/what-if/").status_code == 200


def test_dispute_flow_rep_disputes_manager_resolves(setup, login):
    org, run, sts = setup
    run_approve(run=run, actor=None)
    st = sts["R1"]
    path = f"/api/commissions/statements/{st.pk}/disputes"
    # another rep (who does not see the statement): 404; the manager and the director, who
    # see it: 403 with the reason
    said = "It was 1200"
    assert api(login(org["R2"]), "post", path, {"order_id": "O1", "comment": said}).status_code == 404
    for boss in ("M1", "D1"):
        refused = api(login(org[boss]), "post", path, {"order_id": "O1", "comment": said})
        assert refused.status_code == 403
        assert "Only the statement's rep may dispute its lines" in refused.json()["message"]
    assert not Dispute.objects.exists()
    assert api(login(org["R1"]), "post", path, {"order_id": "NOPE", "comment": said}).status_code == 404
    created = api(login(org["R1"]), "post", path, {"order_id": "O1", "comment": "It was 1200"})
    assert created.status_code == 201
    dispute_id = created.json()["id"]
    # listed for the manager, not for the other team
    assert [d["id"] for d in login(org["M1"]).get("/api/commissions/disputes").json()] == [dispute_id]
    assert login(org["M2"]).get("/api/commissions/disputes").json() == []
    resolve = f"/api/commissions/disputes/{dispute_id}/resolve"
    refused = api(login(org["R1"]), "post", resolve, {"decision": "accepted", "amount": "10"})  # sees it
    assert refused.status_code == 403 and "Only the rep's managers or an admin" in refused.json()["message"]
    assert api(login(org["M2"]), "post", resolve, {"decision": "accepted", "amount": "10"}).status_code == 404
    agreed = {"decision": "accepted", "amount": "10.00", "reason": "Credited at 1200 by the contract."}
    ok = api(login(org["M1"]), "post", resolve, agreed)
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    # the accepted amount is an adjustment in the next run, once
    q2 = run_compute(period="2026-Q2")
    r1 = q2.statements.get(rep=org["R1"])
    assert r1.data["adjustments"] == "10.00"
    run_approve(run=q2, actor=None)
    assert Dispute.objects.get().settled_in_id == q2.pk
    assert run_compute(period="2026-Q3").statements.get(rep=org["R1"]).data["adjustments"] == "0.00"


def test_rejecting_needs_a_reason_and_drafts_cannot_be_disputed(setup, login):
    org, run, sts = setup
    path = f"/api/commissions/statements/{sts['R1'].pk}/disputes"
    said = {"order_id": "O1", "comment": "It was 1200"}
    assert api(login(org["R1"]), "post", path, said).status_code == 422
    run_approve(run=run, actor=None)
    dispute_id = api(login(org["R1"]), "post", path, said).json()["id"]
    resolve = f"/api/commissions/disputes/{dispute_id}/resolve"
    assert api(login(org["D1"]), "post", resolve, {"decision": "rejected"}).status_code == 422
    ok = api(login(org["D1"]), "post", resolve, {"decision": "rejected", "reason": "credited right"})
    assert ok.json()["status"] == "rejected"


def test_dispute_pages(setup, login):
    org, run, sts = setup
    run_approve(run=run, actor=None)
    st = sts["R1"]
    page = login(org["R1"]).get(f"/commissions/statements/{st.pk}/")
    assert b'name="comment"' in page.content
    assert b'name="comment"' not in login(org["M1"]).get(f"/commissions/statements/{st.pk}/").content
    response = login(org["R1"]).post(
        f"/commissions/statements/{st.pk}/disputes/", {"order_id": "O1", "comment": "It was 1200"}
    )
    assert response.status_code == 302
    assert (
        login(org["R2"]).post(f"/commissions/statements/{st.pk}/disputes/", {"order_id": "O1"}).status_code
        == 404
    )
    said = {"order_id": "O1", "comment": "Mine too"}
    refused = login(org["M1"]).post(f"/commissions/statements/{st.pk}/disputes/", said)
    assert refused.status_code == 403 and b"Only the statement&#x27;s rep may dispute" in refused.content
    listing = login(org["M1"]).get("/commissions/disputes/")
    assert b"Resolve" in listing.content
    assert b"<td>O1</td>" in listing.content  # the row itself, not "O1" inside a random token
    assert b"<td>O1</td>" not in login(org["M2"]).get("/commissions/disputes/").content
    d = Dispute.objects.get()
    assert (
        login(org["M2"]).post(f"/commissions/disputes/{d.pk}/resolve/", {"decision": "rejected"}).status_code
        == 404
    )
    own = login(org["R1"]).post(
        f"/commissions/disputes/{d.pk}/resolve/", {"decision": "rejected", "reason": "No."}
    )
    assert own.status_code == 403 and b"Only the rep&#x27;s managers or an admin" in own.content
    for bad in ("NaN", "1e3"):  # parsed as money: refused with a message, nothing resolved
        answer = login(org["M1"]).post(
            f"/commissions/disputes/{d.pk}/resolve/",
            {"decision": "accepted", "amount": bad, "reason": "Credited at 1200."},
            follow=True,
        )
        assert b"Amount:" in answer.content and Dispute.objects.get().status == "open"
    rejected = {"decision": "rejected", "reason": "Credited right at 1000."}
    login(org["M1"]).post(f"/commissions/disputes/{d.pk}/resolve/", rejected)
    assert Dispute.objects.get().status == "rejected"


def test_rebates_page_and_api_are_scoped(setup, login):
    org, _, _ = setup
    from bookwise.commissions.services import plan_file_load

    plan_file_load(
        text="rebates:\n  - {name: V, year: 2026, tiers: [{from: 500, rate: 0.02}]}\n", filename="r.yaml"
    )
    rows = login(org["R1"]).get("/api/commissions/rebates?year=2026").json()
    assert [(r["account_id"], r["rebate"]) for r in rows] == [("A1", "20.00")]
    assert len(login(org["D1"]).get("/api/commissions/rebates?year=2026").json()) == 2
    page = login(org["R3"]).get("/commissions/rebates/?year=2026")
    assert b"A3" in page.content and b"(A1)" not in page.content
    csv = login(org["R3"]).get("/commissions/rebates/?year=2026&format=csv").content.decode()
    assert csv.splitlines()[1].startswith("A3,")


def test_what_if_transfer_on_the_page(setup, login):
    org, _, _ = setup
    client = login(org["D1"])
    page = client.post("/commissions/what-if/", {"account": "A1", "to": "R3", "periods": "2"})
    assert page.status_code == 200 and b"(A1) to Rep R3 (R3)" in page.content  # names, with the ids
    refused = client.post("/commissions/what-if/", {"account": "A1", "to": "X"}).content.decode()
    assert "To rep: no rep called &#x27;X&#x27;" in refused
    assert login(org["M1"]).post("/commissions/what-if/", {"account": "A1", "to": "R3"}).status_code == 404
