import os

import pytest
from django.test import Client
from hypothesis import settings

from tests import factories

# CI (.ci/run sets CI=true) runs every property test derandomized: the examples are the same
# on every run, so whether a submission lands is never decided by chance. Local runs explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


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


@pytest.fixture(autouse=True)
def _no_tiers_from_another_test():
    """The whole book's tiers are kept per process, keyed by a fingerprint of the data; a
    rolled-back test can leave the same fingerprint for different data, so start clean."""
    from bookwise.retention import selectors

    selectors._tier_cache.clear()
