import os

import pytest
from django.test import Client, TransactionTestCase
from hypothesis import HealthCheck, settings

from tests import console, factories, template_database
from tests.properties import examples, on_postgresql_run

# CI (.ci/run sets CI=true) runs every property test derandomized: the examples are the same
# on every run, so whether a submission lands is never decided by chance. Local runs explore.
# Neither times an example (hypothesis' 200 ms deadline, its too-slow health check): on a
# loaded machine they failed tests whose results were right, and speed is measured by the
# bench scripts, never by a timed test.
# The PostgreSQL run tries a third of each property's examples (tests/properties.py).
UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow], "max_examples": examples(100)}
settings.register_profile("ci", derandomize=True, print_blob=True, **UNTIMED)
settings.register_profile("local", **UNTIMED)
settings.load_profile("ci" if os.environ.get("CI") else "local")


# What makes a test use the test database (pytest-django's fixtures and marker).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def uses_the_test_database(item: pytest.Item) -> bool:
    """Does this test read or write the database the run is about (or start PostgreSQL's own
    topology)? A test that does neither (a pure rule, a command on a SQLite file of its own)
    runs the same whatever the test database is."""
    if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and "postgresql" in callspec.params.values()


def runs_on_postgresql(item: pytest.Item) -> bool:
    """A test that uses the test database, but a browser test (marked `browser`; make test
    leaves out tests/browser too): the pages' queries run on PostgreSQL in the page tests."""
    return uses_the_test_database(item) and item.get_closest_marker("browser") is None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL (`make test`'s second run) only the tests that use the test database run,
    but the browser tests: the others ran, identically, in the SQLite run."""
    if not on_postgresql_run():
        return
    uses = {item.nodeid: runs_on_postgresql(item) for item in items}
    config.hook.pytest_deselected(items=[item for item in items if not uses[item.nodeid]])
    items[:] = [item for item in items if uses[item.nodeid]]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL the test database is a copy of the migrated template
    (tests/template_database.py): Django creates it with `TEMPLATE`, and its migrate then has
    nothing to apply."""
    from django.conf import settings as django_settings

    url = os.environ.get("BOOKWISE_TEST_DATABASE_URL")
    if url:
        test = django_settings.DATABASES["default"].setdefault("TEST", {})
        test["TEMPLATE"] = template_database.migrated_template(url)


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


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """One SQLite file migrated through the console script once per session (tests/console.py)."""
    return console.migrate_new(tmp_path_factory.mktemp("migrated"))


@pytest.fixture
def cli(migrated_database, tmp_path) -> console.Console:
    """`bookwise ...` as a subprocess on a migrated SQLite file of this test's own."""
    return console.console_on_copy(migrated_database, tmp_path)
