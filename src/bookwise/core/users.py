"""The user a page, API call or service is for, as Django hands it over: `request.user` is a
signed-in `User` or the `AnonymousUser`; a service's `actor` may also be None (the audit
trail then names the request's user, the command's person or the system: core.actor)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

Viewer = User | AnonymousUser


def signed_in(user: Viewer | None) -> User | None:
    """The user when one is signed in (what a record's `created_by` can point at), else None."""
    return user if isinstance(user, User) and user.is_authenticated else None
