"""Every write endpoint of the API through a live server and a real HTTP client (httpx).

For each one: no credentials -> 401; the token of a user who may not -> 403 (they see the
object) or 404 (they do not); a session signed in through /login/ but without its CSRF
token -> 403; the token of a user who may -> done; a session with its CSRF token -> done.
A refused call changes nothing (no effect in the database, no audit entry); an accepted
one has its effect and is audited under the caller's name."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bookwise.config.api import api
from bookwise.core.models import AuditEntry

from .cases import CASES, Case, Target
from .conftest import Clients
from .world import World

WRITE_METHODS = {"post", "put", "patch", "delete"}


def write_operations() -> dict[tuple[str, str], set[str]]:
    """(METHOD, path) -> its documented success statuses, for every write operation in the
    API's OpenAPI schema."""
    paths: dict[str, dict[str, Any]] = api.get_openapi_schema()["paths"]
    return {
        (method.upper(), path): {str(code) for code in op["responses"]}
        for path, ops in paths.items()
        for method, op in ops.items()
        if method in WRITE_METHODS
    }


def test_every_write_endpoint_has_a_live_test() -> None:
    """A new POST/PUT/PATCH/DELETE under /api/ fails here until tests/live/cases.py covers it."""
    operations = write_operations()
    assert len(operations) >= 21
    missing = sorted(set(operations) - set(CASES))
    assert not missing, (
        f"write endpoints with no live-server test (add them to tests/live/cases.py): {missing}"
    )
    gone = sorted(set(CASES) - set(operations))
    assert not gone, f"tests/live/cases.py names endpoints the API no longer has: {gone}"
    undocumented = sorted(k for k, case in CASES.items() if str(case.ok_status) not in operations[k])
    assert not undocumented, f"the schema documents another success status for: {undocumented}"


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()


def _call(client: httpx.Client, method: str, path: str, target: Target) -> httpx.Response:
    return client.request(method, path.format(**target.params), json=target.body)


def _assert_refused(answer: httpx.Response, status: int, target: Target, audits: int, who: str) -> None:
    assert answer.status_code == status, f"{who}: {answer.status_code} {answer.text}"
    assert answer.json()["message"], f"{who}: an error without a message"
    assert not target.done(), f"{who}: refused, yet the change was made"
    assert AuditEntry.objects.count() == audits, f"{who}: refused, yet something was audited"


def _assert_accepted(answer: httpx.Response, case: Case, target: Target, user: Any, who: str) -> None:
    assert answer.status_code == case.ok_status, f"{who}: {answer.status_code} {answer.text}"
    assert target.done(), f"{who}: {answer.status_code}, yet nothing changed in the database"
    latest = AuditEntry.objects.order_by("-id").first()
    assert latest is not None and latest.actor_id == user.pk, f"{who}: not audited under the caller's name"


@pytest.mark.parametrize("key", sorted(CASES), ids=[f"{m} {p}" for m, p in sorted(CASES)])
def test_write_endpoint_with_real_clients(key: tuple[str, str], world: World, clients: Clients) -> None:
    method, path = key
    case = CASES[key]
    allowed, denied = world.user(case.allowed), world.user(case.denied)
    target = case.prepare(world)
    refusals = [
        ("nobody", clients.anonymous(), 401),
        (f"token of {case.denied}", clients.token(denied), case.denied_status),
        (f"session of {case.allowed} without CSRF", clients.session(allowed, csrf=False), 403),
    ]
    for who, client, status in refusals:
        audits = AuditEntry.objects.count()
        _assert_refused(_call(client, method, path, target), status, target, audits, who)
    who = f"token of {case.allowed}"
    _assert_accepted(_call(clients.token(allowed), method, path, target), case, target, allowed, who)
    again = case.prepare(world)
    session = clients.session(allowed, csrf=True)
    who = f"session of {case.allowed} with CSRF"
    _assert_accepted(_call(session, method, path, again), case, again, allowed, who)
