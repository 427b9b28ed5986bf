"""The API tests use the same small book and users as the page tests."""

from tests.web.conftest import admin, book, nobody  # noqa: F401 - shared fixtures
