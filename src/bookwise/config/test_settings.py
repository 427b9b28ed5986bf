"""Test settings: SQLite in memory, or PostgreSQL when BOOKWISE_TEST_DATABASE_URL is set."""

import os
from pathlib import Path

from .settings import *  # noqa: F403
from .settings import INSTANCE, database_from_url
from .topology import cache_from_url, huey_from_url

_url = os.environ.get("BOOKWISE_TEST_DATABASE_URL")
DATABASES = {"default": database_from_url(_url or "sqlite://:memory:")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, but a test that commits is undone by deleting its rows, not truncating every table
    DATABASES["default"]["ENGINE"] = "bookwise.config.test_database"
    # a commit does not wait for its WAL record to reach the disk (about 25 ms here): a test
    # database need not survive a crash of the server, and the tests commit thousands of times
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
# the production topology (settings.py's block): a per-process cache and jobs run in the
# caller, unless a test names a shared cache / a real queue through the environment
CACHES = {"default": cache_from_url(os.environ.get("BOOKWISE_CACHE_URL", "locmem://"), Path.cwd(), INSTANCE)}
HUEY = huey_from_url(os.environ.get("BOOKWISE_QUEUE_URL", "immediate://"), Path.cwd(), INSTANCE)
