"""How many examples a property test tries (Hypothesis' `max_examples`): `examples(n)`.

`make test` runs the whole suite on SQLite, then the tests that use the database again on
PostgreSQL (tests/conftest.py). A property test's examples explore its inputs, and the
SQLite run explores them in full; the PostgreSQL run asks whether the database answers the
same, for which a third of them is enough (CI draws them the same way in both runs: the
profiles are derandomized). `BOOKWISE_TEST_EVERYTHING=1` gives PostgreSQL every example too."""

from __future__ import annotations

import os

SHARE_ON_POSTGRESQL = 3  # the PostgreSQL run tries one example in three
FEWEST = 5


def on_postgresql_run() -> bool:
    """Is this the PostgreSQL run of `make test` (not one asked to run everything)? It runs
    only the tests that use the database (tests/conftest.py), with fewer examples."""
    return bool(os.environ.get("BOOKWISE_TEST_DATABASE_URL")) and not os.environ.get(
        "BOOKWISE_TEST_EVERYTHING"
    )


def examples(n: int) -> int:
    """`n` examples, or a third of them (at least FEWEST, at most `n`) on the PostgreSQL run."""
    return min(n, max(FEWEST, n // SHARE_ON_POSTGRESQL)) if on_postgresql_run() else n
