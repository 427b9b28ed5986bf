"""How the API knows who calls, through a live server: a token (`Authorization: Token <key>`,
or `Bearer <key>`) is tried first and needs no CSRF token; the session is used only when its cookie came, and
then a write needs the CSRF token. Anything else is 401 with the one error shape."""

from __future__ import annotations

import httpx
import pytest

from bookwise.core.models import ApiToken, AuditEntry
from bookwise.core.services import api_token_create
from bookwise.transfers.models import Transfer

from .conftest import Clients, sign_in
from .world import World


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()


def _start_transfer(client: httpx.Client, world: World) -> tuple[httpx.Response, str]:
    account = world.account()
    body = {"account_id": account.external_id, "to": "R2", "effective_date": world.today.isoformat(),
            "reason": "rebalance"}  # fmt: skip
    return client.post("/api/transfers", json=body), account.external_id


def test_bad_unknown_and_revoked_tokens_are_401(world: World, clients: Clients) -> None:
    key = api_token_create(user=world.user("M1"))
    assert (
        clients.anonymous().get("/api/transfers", headers={"Authorization": f"Token {key}"}).status_code
        == 200
    )
    for header in (f"Bearer {key}", f"token {key}"):  # what most clients send; any case
        assert clients.anonymous().get("/api/transfers", headers={"Authorization": header}).status_code == 200
    for header in ("Token not-a-key", f"Basic {key}", key, "Token", "Bearer"):
        answer = clients.anonymous().get("/api/transfers", headers={"Authorization": header})
        assert answer.status_code == 401, header
        assert answer.json() == {"message": "Authentication required.", "extra": {}}
    ApiToken.objects.filter(user=world.user("M1")).delete()
    assert (
        clients.anonymous().get("/api/transfers", headers={"Authorization": f"Token {key}"}).status_code
        == 401
    )


def test_a_deactivated_users_token_is_refused(world: World, clients: Clients) -> None:
    client = clients.token(world.user("M1"))
    assert client.get("/api/transfers").status_code == 200
    world.user("M1").__class__.objects.filter(pk=world.user("M1").pk).update(is_active=False)
    answer, account_id = _start_transfer(client, world)
    assert answer.status_code == 401 and not Transfer.objects.filter(account__external_id=account_id).exists()


def test_a_session_reads_without_csrf_but_writes_only_with_the_right_one(
    world: World, clients: Clients
) -> None:
    session = clients.session(world.user("M1"), csrf=False)
    assert session.get("/api/transfers").status_code == 200
    wrong = "x" * 32
    answer, account_id = _start_transfer(session, world)
    assert answer.status_code == 403 and answer.json()["message"] == "CSRF check Failed"
    session.headers["X-CSRFToken"] = wrong
    answer, account_id = _start_transfer(session, world)
    assert answer.status_code == 403 and not Transfer.objects.filter(account__external_id=account_id).exists()
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    answer, account_id = _start_transfer(session, world)
    assert answer.status_code == 201 and Transfer.objects.filter(account__external_id=account_id).exists()


def test_after_signing_out_the_old_session_cookie_is_worthless(world: World, clients: Clients) -> None:
    session = clients.session(world.user("M1"), csrf=True)
    stale = session.cookies["sessionid"]
    assert session.post("/logout/").status_code in (200, 302)
    replay = clients.anonymous()
    replay.cookies.set("sessionid", stale)
    assert replay.get("/api/transfers").status_code == 401
    answer, account_id = _start_transfer(replay, world)
    assert answer.status_code == 403, "a cookie came: the CSRF token is checked first"
    replay.cookies.set("csrftoken", "c" * 32)
    replay.headers["X-CSRFToken"] = "c" * 32
    answer, account_id = _start_transfer(replay, world)
    assert answer.status_code == 401 and not Transfer.objects.filter(account__external_id=account_id).exists()


def test_the_token_decides_who_acts_even_with_another_users_session(world: World, clients: Clients) -> None:
    """A browser never adds an Authorization header on its own, so a token call cannot be
    forged from another site; the token, not the cookie, says who acts."""
    client = clients.token(world.user("M1"))
    sign_in(client, world.user("R1").get_username())  # R1 may not start transfers
    answer, account_id = _start_transfer(client, world)
    assert answer.status_code == 201, answer.text
    transfer = Transfer.objects.get(account__external_id=account_id)
    entry = AuditEntry.objects.filter(object_type="transfers.transfer", object_id=str(transfer.pk)).get()
    assert entry.actor_id == world.user("M1").pk
