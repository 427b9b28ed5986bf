"""Real clients against a live server: httpx with an API token, with a session signed in
through the real /login/ form (with or without the CSRF header), or with nothing at all.

The server is pytest-django's `live_server` (a thread of this process), or, with
`BOOKWISE_TEST_TOPOLOGY=production` on PostgreSQL, the production topology as real
processes against the test database: `bookwise serve --workers 2` (gunicorn) and `bookwise
worker`, Redis for the cache and the queue (`make test` runs this folder so, after the
PostgreSQL run; see `server_url`).

The live server needs `transactional_db`, which empties every table after each test, so
each test builds its own small data (tests/factories.py)."""

from __future__ import annotations

import os
import re
import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
from django.db import connection

from bookwise.core.services import api_token_create
from tests import factories
from tests.jobs.topology import REDIS, Topology

# One TLS context for every client: httpx builds a new one per client otherwise, loading the
# CA bundle each time (20 ms of CPU; the live tests make hundreds of clients, all plain HTTP).
TLS = ssl.create_default_context()
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(client: httpx.Client, username: str, password: str = factories.PASSWORD) -> None:
    """Sign in as a browser does: GET the form, POST it back with its CSRF token."""
    page = client.get("/login/")
    assert page.status_code == 200, page.text
    found = CSRF_FIELD.search(page.text)
    assert found, "the sign-in form has no CSRF token"
    form = {"username": username, "password": password, "csrfmiddlewaretoken": found.group(1)}
    answer = client.post("/login/", data=form, headers={"Referer": f"{client.base_url}login/"})
    assert answer.status_code == 302, f"sign-in as {username} failed: {answer.status_code}"
    assert "sessionid" in client.cookies, "no session cookie after signing in"


class Clients:
    """httpx clients against the live server, closed when the test ends."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._open: list[httpx.Client] = []

    def _new(self, headers: dict[str, str] | None = None) -> httpx.Client:
        client = httpx.Client(base_url=self.base_url, headers=headers or {}, timeout=60, verify=TLS)
        self._open.append(client)
        return client

    def anonymous(self) -> httpx.Client:
        return self._new()

    def token(self, user: Any) -> httpx.Client:
        """`Authorization: Token <key>` with a fresh key of `user` (as `bookwise token` makes)."""
        return self._new({"Authorization": f"Token {api_token_create(user=user, label='live test')}"})

    def session(self, user: Any, *, csrf: bool) -> httpx.Client:
        """Signed in through /login/; with `csrf`, every request carries X-CSRFToken (the
        value of the csrftoken cookie, as the pages' JavaScript sends it)."""
        client = self._new()
        sign_in(client, user.get_username())
        if csrf:
            client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
        return client

    def close(self) -> None:
        for client in self._open:
            client.close()


def _production_wanted() -> bool:
    return os.environ.get("BOOKWISE_TEST_TOPOLOGY", "") == "production"


@pytest.fixture(scope="session")
def production(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Topology | None]:
    """The production processes against the test database (None: not asked for)."""
    if not _production_wanted():
        yield None
        return
    with django_db_blocker.unblock():
        db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the production topology shares the test database: PostgreSQL only")
    url = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    running = Topology(tmp_path_factory.mktemp("production"), url)
    # the test settings on top of production's, for the test users' cheap password hashes
    # (and mail kept in memory); the database, cache and queue are the environment's
    running.env.update(DJANGO_SETTINGS_MODULE="bookwise.config.test_settings", BOOKWISE_TEST_DATABASE_URL=url)
    running.start("serve", "serve", "--workers", "2", "--bind", f"127.0.0.1:{running.port}")
    running.start("worker", "worker", "--workers", "2", "--no-schedule")
    try:
        running.wait_until_up()
        yield running
    finally:
        running.stop()


def _forget_cached(topology: Topology) -> None:
    """Each test builds its own data on an emptied database: what the processes cached
    for the previous test's data must not answer for this one."""
    store = redis.Redis.from_url(REDIS)
    for key in store.scan_iter(f"*{topology.env['BOOKWISE_INSTANCE']}*"):
        store.delete(key)


@pytest.fixture
def server_url(request: Any, transactional_db: None, production: Topology | None) -> Iterator[str]:
    """Where the live tests send their requests."""
    if production is None:
        yield request.getfixturevalue("live_server").url
        return
    _forget_cached(production)
    yield production.url


@pytest.fixture
def clients(server_url: str) -> Iterator[Clients]:
    made = Clients(server_url)
    yield made
    made.close()
