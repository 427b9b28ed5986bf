"""Helpers shared by the import/export commands."""

from __future__ import annotations

from django.core.management.base import CommandError


class error(CommandError):  # noqa: N801 - Django prints "<class name>: <message>", i.e. "error: ..."
    """A command failure shown as `error: ...` on stderr, exit status 1."""
