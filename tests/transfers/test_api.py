import json
from datetime import timedelta

import pytest

from bookwise.transfers.models import Transfer
from tests import factories
from tests.transfers.helpers import EFFECTIVE, SECTIONS, book, draft, introduced

pytestmark = pytest.mark.django_db


def post(client, url, data=None, method="post"):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


def body(data=None):
    payload = {
        "account_id": "ACME",
        "to": "R2",
        "effective_date": EFFECTIVE.isoformat(),
        "reason": "rebalance",
    }
    payload.update(data or {})
    return payload


def test_manager_runs_the_whole_workflow_over_the_api(org, login):
    book(org)
    client = login(org["M1"])
    response = post(client, "/api/transfers", body())
    assert response.status_code == 201, response.content
    tid = response.json()["id"]
    assert response.json()["from"] == "R1" and response.json()["to"] == "R2"
    assert post(client, f"/api/transfers/{tid}/handoff").json()["state"] == "handoff"
    refused = post(client, f"/api/transfers/{tid}/introduce", {"meeting_date": EFFECTIVE.isoformat()})
    assert refused.status_code == 422 and "key_contacts" in refused.json()["extra"]["missing"]
    assert post(client, f"/api/transfers/{tid}/interview", SECTIONS, method="put").json()["missing"] == []
    assert (
        post(client, f"/api/transfers/{tid}/introduce", {"meeting_date": EFFECTIVE.isoformat()}).status_code
        == 200
    )
    done = post(client, f"/api/transfers/{tid}/complete")
    end = EFFECTIVE + timedelta(days=89)
    assert done.json()["state"] == "completed" and done.json()["co_coverage_end"] == end.isoformat()


def test_rep_and_other_team_cannot_start(org, login):
    book(org)
    assert post(login(org["R1"]), "/api/transfers", body()).status_code == 403
    assert post(login(org["M2"]), "/api/transfers", body()).status_code == 404  # cannot even see ACME


def test_over_capacity_and_departing_recipients_refused_over_api(org, login):
    book(org)
    org["R2"].end_date = EFFECTIVE
    org["R2"].save()
    response = post(login(org["M1"]), "/api/transfers", body())
    assert response.status_code == 422 and "leaving" in response.json()["message"]


def test_incoming_rep_reads_interview_other_reps_get_404(org, login):
    account = book(org)
    transfer = introduced(org, account)
    url = f"/api/transfers/{transfer.pk}/interview"
    assert login(org["R2"]).get(url).json()["key_contacts"] == SECTIONS["key_contacts"]
    assert login(org["M1"]).get(url).status_code == 200
    assert login(org["R3"]).get(url).status_code == 404
    assert login(org["M2"]).get(url).status_code == 404
    assert login(org["R3"]).get(f"/api/transfers/{transfer.pk}").status_code == 404


def test_incoming_rep_cannot_complete_or_waive(org, login):
    transfer = introduced(org, book(org))
    client = login(org["R2"])
    assert post(client, f"/api/transfers/{transfer.pk}/complete").status_code == 403
    assert post(client, f"/api/transfers/{transfer.pk}/waive", {"reason": "x"}).status_code == 403
    assert post(login(factories.admin_user()), f"/api/transfers/{transfer.pk}/complete").status_code == 200


def test_transfer_list_is_scoped(org, login):
    draft(org, book(org))
    assert len(login(org["R2"]).get("/api/transfers").json()) == 1
    assert login(org["R3"]).get("/api/transfers").json() == []


def test_recommendations_endpoint_permissions(org, login):
    book(org)
    ok = login(org["M1"]).get("/api/accounts/ACME/recommendations")
    assert ok.status_code == 200
    assert ok.json()["account_id"] == "ACME" and ok.json()["candidates"][0]["rep_id"] == "R2"
    assert login(org["R1"]).get("/api/accounts/ACME/recommendations").status_code == 403
    assert login(org["R3"]).get("/api/accounts/ACME/recommendations").status_code == 404
    assert login(org["M2"]).get("/api/accounts/ACME/recommendations").status_code == 404


def test_plan_endpoints(org, login):
    book(org)
    client = login(org["M1"])
    created = post(
        client, "/api/transfers/plans", {"from_rep": "R1", "effective_date": EFFECTIVE.isoformat()}
    )
    assert created.status_code == 201 and created.json()["assignments"][0]["to"] == "R2"
    pid = created.json()["id"]
    assert login(org["M2"]).get(f"/api/transfers/plans/{pid}").status_code == 404
    assert login(org["R2"]).get(f"/api/transfers/plans/{pid}").status_code == 404
    edited = post(client, f"/api/transfers/plans/{pid}/lines/ACME", {"to": "R2"}, method="put")
    assert edited.status_code == 200 and edited.json()["assignments"][0]["edited"] is True
    assert (
        post(client, f"/api/transfers/plans/{pid}/lines/ACME", {"to": "R3"}, method="put").status_code == 404
    )
    applied = post(client, f"/api/transfers/plans/{pid}/apply")
    assert applied.status_code == 200 and Transfer.objects.filter(plan_id=pid).count() == 1


def test_tracking_endpoint(org, login):
    assert login(org["R1"]).get("/api/transfers/tracking").json()["rows"] == []
    assert login(org["D1"]).get("/api/transfers/tracking?group=reason").json()["group_by"] == "reason"


def test_anonymous_is_refused(client):
    assert client.get("/api/transfers").status_code == 401
