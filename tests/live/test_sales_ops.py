"""Sales operations through a live server with an API token, endpoint by endpoint
(cases_sales_ops.SALES_OPS): a refusal answers its status with a message and changes nothing
(no effect, no audit entry); an allowed write has its effect, audited under sales ops."""

from __future__ import annotations

import pytest

from bookwise.core.models import AuditEntry

from .cases import CASES
from .cases_sales_ops import ALLOWED, SALES_OPS
from .conftest import Clients
from .test_writes import _assert_accepted, _assert_refused, _call, write_operations
from .world import World


def test_sales_ops_answer_every_write_endpoint() -> None:
    missing = sorted(set(write_operations()) - set(SALES_OPS))
    assert not missing, f"say what sales ops get from (tests/live/cases_sales_ops.py): {missing}"
    assert not sorted(set(SALES_OPS) - set(CASES)), "cases_sales_ops.py names endpoints the API lacks"


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()


@pytest.mark.parametrize("key", sorted(SALES_OPS), ids=[f"{m} {p}" for m, p in sorted(SALES_OPS)])
def test_sales_ops_write_with_a_token(key: tuple[str, str], world: World, clients: Clients) -> None:
    method, path = key
    case, expected = CASES[key], SALES_OPS[key]
    target = case.prepare(world)
    client = clients.token(world.sales_ops)  # (making the token is audited)
    audits = AuditEntry.objects.count()
    answer = _call(client, method, path, target)
    if expected == ALLOWED:
        _assert_accepted(answer, case, target, world.sales_ops, "token of sales ops")
    else:
        _assert_refused(answer, int(expected), target, audits, "token of sales ops")
