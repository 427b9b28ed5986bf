import pytest
from django.test import Client

from tests import factories


@pytest.fixture
def org(db):
    return factories.org()


@pytest.fixture
def login():
    """login(rep_or_user) -> a Client signed in as that rep's user (or that user)."""

    def _login(who) -> Client:
        client = Client()
        user = getattr(who, "user", who)
        client.force_login(user)
        return client

    return _login
