"""Acceptance on the demo company (5 % scale, built on today's date): a sales manager makes
a token with `bookwise token sm1` and, through a live server with httpx, finds an account of
the team, asks for the recommended recipient and starts the transfer: a draft, 201."""

from __future__ import annotations

from io import StringIO
from typing import Any

import httpx
from django.core.management import call_command
from django.utils import timezone

from bookwise.core.models import AuditEntry
from bookwise.demo.builder import build_demo
from bookwise.transfers.models import OPEN_STATES, Transfer


def _first_account_without_open_transfer(client: httpx.Client) -> dict[str, Any]:
    page = client.get("/api/accounts", params={"status": "active", "sort": "id", "limit": 200})
    assert page.status_code == 200, page.text
    busy = {t["account_id"] for t in client.get("/api/transfers").json() if t["state"] in OPEN_STATES}
    free = [a for a in page.json()["items"] if a["primary_owner_id"] and a["account_id"] not in busy]
    assert free, "the manager's team has no account without an open transfer"
    return free[0]


def test_a_sales_managers_token_starts_a_transfer_on_the_demo(server_url: str) -> None:
    today = timezone.localdate()
    build_demo(today=today, scale=0.05)
    out = StringIO()
    call_command("token", "sm1", "--label", "integration", stdout=out)
    headers = {"Authorization": f"Token {out.getvalue().strip()}"}
    with httpx.Client(base_url=server_url, headers=headers, timeout=60) as client:
        account = _first_account_without_open_transfer(client)
        advice = client.get(f"/api/accounts/{account['account_id']}/recommendations")
        assert advice.status_code == 200, advice.text
        to = advice.json()["candidates"][0]["rep_id"]
        body = {"account_id": account["account_id"], "to": to, "effective_date": today.isoformat(),
                "reason": "rebalance", "note": "Started from a script with a token."}  # fmt: skip
        answer = client.post("/api/transfers", json=body)
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert (made["state"], made["from"], made["to"]) == ("draft", account["primary_owner_id"], to)
    transfer = Transfer.objects.select_related("account", "to_rep").get(pk=made["id"])
    assert (transfer.account.external_id, transfer.to_rep.external_id, transfer.state) == (
        account["account_id"], to, "draft",
    )  # fmt: skip
    entry = AuditEntry.objects.filter(object_type="transfers.transfer", object_id=str(transfer.pk)).get()
    assert entry.actor.username == "sm1"
