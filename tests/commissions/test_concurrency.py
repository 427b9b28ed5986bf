"""The database holds what concurrency could break: one open dispute per statement line
(ten clicks at once leave one open dispute, the others get the same Conflict) and one
draft run per period (two computations at once: one run, the other a Conflict)."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, connections, transaction

from bookwise.commissions.models import Dispute, Run
from bookwise.commissions.services import run_approve, run_compute
from bookwise.commissions.services.disputes import dispute_open
from bookwise.core.errors import Conflict
from tests import factories as f

from .helpers import load_plans

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def statement(org):
    load_plans()
    f.order(f.account("A1", owner=org["R1"]), date(2026, 1, 10), "1000.00", external_id="O1")
    run = run_compute(period="2026-Q1")
    approved = run_approve(run=run, actor=None)
    return approved.statements.get(rep=org["R1"])


def test_the_database_refuses_a_second_open_dispute_of_a_line(org, statement):
    dispute_open(statement=statement, order_id="O1", comment="It was 1200", actor=org["R1"].user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dispute.objects.create(statement=statement, order_id="O1", comment="Again", raised_by=org["R1"].user)


@pytest.mark.postgres_only
def test_ten_disputes_of_one_line_at_once_leave_one_open(org, statement):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL")
    barrier = threading.Barrier(10)
    outcomes: list[str] = []

    def raise_one() -> None:
        try:
            barrier.wait(timeout=30)
            dispute_open(statement=statement, order_id="O1", comment="It was 1200", actor=org["R1"].user)
            outcomes.append("created")
        except Conflict as error:
            assert error.message == "This line already has an open dispute."
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=raise_one) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["conflict"] * 9 + ["created"]
    assert Dispute.objects.filter(status="open").count() == 1


@pytest.mark.postgres_only
def test_two_computations_of_one_period_at_once_leave_one_draft(org):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL")
    load_plans()
    f.order(f.account("A1", owner=org["R1"]), date(2026, 1, 10), "1000.00", external_id="O1")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def compute() -> None:
        try:
            barrier.wait(timeout=30)
            run_compute(period="2026-Q1")
            outcomes.append("computed")
        except Conflict as error:
            assert error.message == "2026-Q1 is being run by someone else at this moment; look at its run."
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=compute) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert "computed" in outcomes and len(outcomes) == 2
    assert Run.objects.filter(period="2026-Q1", status="draft").count() == 1
