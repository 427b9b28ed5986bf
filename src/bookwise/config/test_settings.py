"""Test settings: SQLite in memory, or PostgreSQL when BOOKWISE_TEST_DATABASE_URL is set."""

import os

from .settings import *  # noqa: F403
from .settings import database_from_url

_url = os.environ.get("BOOKWISE_TEST_DATABASE_URL")
DATABASES = {"default": database_from_url(_url or "sqlite://:memory:")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
