"""Concurrency on PostgreSQL: the database, not the timing, decides who wins.

* two completions of one transfer at once: exactly one writes the ownership (row locks);
* 40 drafts of one account at once, in threads and in processes, and 20 POSTs to the API
  at once: exactly one open transfer, every other caller gets the same 409 Conflict a
  draft meets when the open transfer is already there (the partial unique index
  transfer_one_open_per_account_role, turned into a Conflict by services.transfer_create)."""

import multiprocessing
import sys
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client

from bookwise.accounts.models import Ownership
from bookwise.core.errors import Conflict
from bookwise.transfers import services
from bookwise.transfers.models import Transfer
from tests.transfers.helpers import EFFECTIVE, book, draft, introduced

pytestmark = pytest.mark.django_db(transaction=True)
DRAFTS = 40


def _postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (SQLite serialises every write)")


def _draft_once(org, account, barrier) -> str:
    try:
        barrier.wait(timeout=30)
        draft(org, account, to_key="R2", actor_key="M1")
        return "created"
    except Conflict as error:
        assert error.message == "Account ACME already has an open transfer."
        return "conflict"
    finally:
        connections.close_all()


@pytest.mark.postgres_only
def test_two_concurrent_completions_of_one_transfer_exactly_one_wins(org):
    _postgres()
    account = book(org)
    transfer = introduced(org, account, to_key="R2")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def complete(actor):
        try:
            barrier.wait(timeout=10)
            services.transfer_complete(transfer=transfer, actor=actor)
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=complete, args=(org[k].user,)) for k in ("M1", "D1")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "won"]
    assert Ownership.objects.filter(account=account, role="primary", end_date__isnull=True).count() == 1
    assert Ownership.objects.filter(account=account, role="primary").count() == 2
    assert Transfer.objects.filter(account=account, state="completed").count() == 1


@pytest.mark.postgres_only
def test_forty_drafts_in_threads_leave_one_open_transfer(org):
    _postgres()
    account = book(org)
    barrier = threading.Barrier(DRAFTS)
    outcomes: list[str] = []
    threads = [
        threading.Thread(target=lambda: outcomes.append(_draft_once(org, account, barrier)))
        for _ in range(DRAFTS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["conflict"] * (DRAFTS - 1) + ["created"]
    assert Transfer.objects.filter(account=account, state="draft").count() == 1


def _draft_in_child(org, account, barrier) -> None:
    outcome = _draft_once(org, account, barrier)
    sys.exit(0 if outcome == "created" else 3)


@pytest.mark.postgres_only
def test_forty_drafts_in_processes_leave_one_open_transfer(org):
    _postgres()
    account = book(org)
    connections.close_all()  # each child opens its own connection
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(DRAFTS)
    children = [context.Process(target=_draft_in_child, args=(org, account, barrier)) for _ in range(DRAFTS)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert sorted(child.exitcode for child in children) == [0] + [3] * (DRAFTS - 1)
    assert Transfer.objects.filter(account=account, state="draft").count() == 1


@pytest.mark.postgres_only
def test_twenty_concurrent_api_posts_one_transfer_the_others_409(org):
    _postgres()
    account = book(org)
    body = {
        "account_id": account.external_id,
        "to": "R2",
        "effective_date": EFFECTIVE.isoformat(),
        "reason": "rebalance",
    }
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def post() -> None:
        client = Client()
        client.force_login(org["M1"].user)
        try:
            barrier.wait(timeout=30)
            response = client.post("/api/transfers", body, content_type="application/json")
            statuses.append(response.status_code)
            if response.status_code == 409:
                assert "already has an open transfer" in response.json()["message"]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(statuses) == 20 and statuses.count(409) == 19
    assert [s for s in statuses if s != 409][0] in (200, 201)
    assert Transfer.objects.filter(account=account, state="draft").count() == 1


def test_the_database_refuses_a_second_open_transfer_of_an_account_and_role(org):
    """On both databases: the unique index holds even when a caller skips the service."""
    account = book(org)
    first = draft(org, account, to_key="R2")
    second = Transfer.objects.get(pk=first.pk)
    second.pk, second.to_rep = None, org["R4"]
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    second.state = "cancelled"
    second.save()  # a closed transfer is no obstacle
    Transfer.objects.filter(pk=second.pk).update(state="draft", role="secondary")
    assert Transfer.objects.filter(account=account, state="draft").count() == 2
