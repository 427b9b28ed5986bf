import threading

import pytest
from django.db import connection, connections

from bookwise.accounts.models import Ownership
from bookwise.core.errors import Conflict
from bookwise.transfers import services
from bookwise.transfers.models import Transfer
from tests.transfers.helpers import book, introduced


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_completions_of_one_account_exactly_one_wins(org):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    account = book(org)
    first = introduced(org, account, to_key="R2")
    # A second open transfer of the same account, as a race at drafting time would leave it.
    second = Transfer.objects.get(pk=first.pk)
    second.pk = None
    second.to_rep = org["R4"]
    second.interview_waived, second.waiver_reason = True, "The interview is the first transfer's."
    second.save()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def complete(transfer, actor):
        try:
            barrier.wait(timeout=10)
            services.transfer_complete(transfer=transfer, actor=actor)
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=complete, args=(first, org["M1"].user)),
        threading.Thread(target=complete, args=(second, org["D1"].user)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "won"]
    assert Ownership.objects.filter(account=account, role="primary", end_date__isnull=True).count() == 1
    assert Transfer.objects.filter(account=account, state="completed").count() == 1
