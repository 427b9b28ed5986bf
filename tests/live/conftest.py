"""Real clients against a live server (pytest-django's `live_server`): httpx with an API
token, with a session signed in through the real /login/ form (with or without the CSRF
header), or with nothing at all.

The live server needs `transactional_db`, which empties every table after each test, so
each test builds its own small data (tests/factories.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bookwise.core.services import api_token_create
from tests import factories

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
        client = httpx.Client(base_url=self.base_url, headers=headers or {}, timeout=60)
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


@pytest.fixture
def clients(live_server: Any) -> Iterator[Clients]:
    made = Clients(live_server.url)
    yield made
    made.close()
