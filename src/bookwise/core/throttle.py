"""Sign-in throttling: after LOGIN_THROTTLE["account"] failed sign-ins for one username, or
LOGIN_THROTTLE["address"] from one address, within LOGIN_THROTTLE["minutes"], every sign-in
for that username or from that address is refused, even with the right password, until the
failures age out. A successful sign-in clears its username's failures. Failures are rows
(LoginFailure), so every worker process and the admin's sign-in share them.

The lock applies to any username typed, known or not, so it tells nothing about who exists.
The address is REMOTE_ADDR (behind a proxy, the proxy must set it from X-Forwarded-For)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from .models import LoginFailure


def _limits() -> dict[str, int]:
    return {"account": 5, "address": 20, "minutes": 15} | getattr(settings, "LOGIN_THROTTLE", {})


def address_of(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def _recent() -> Any:
    since = timezone.now() - timedelta(minutes=_limits()["minutes"])
    return LoginFailure.objects.filter(at__gte=since)


def locked(username: str, address: str) -> bool:
    """True when sign-in for `username` or from `address` is refused for now."""
    limits, recent = _limits(), _recent()
    if recent.filter(username=username.strip().lower()).count() >= limits["account"]:
        return True
    return bool(address) and recent.filter(address=address).count() >= limits["address"]


def lock_message() -> str:
    minutes = _limits()["minutes"]
    return f"Too many failed sign-ins: sign-in is locked for up to {minutes} minutes. Try again later."


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend, refusing while the username or the address is locked."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:  # fmt: skip
        if username is not None and locked(username, address_of(request)):
            raise PermissionDenied(lock_message())  # no other backend is tried
        return super().authenticate(request, username=username, password=password, **kwargs)


class ThrottledAuthenticationForm(AuthenticationForm):
    """The sign-in form saying the sign-in is locked (rather than "did not match")."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username and locked(username, address_of(self.request)):
            LoginFailure.record(username, address_of(self.request))
            raise ValidationError(lock_message(), code="locked")
        return super().clean()


@receiver(user_login_failed)
def _failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    LoginFailure.record(str(credentials.get("username") or ""), address_of(request))


@receiver(user_logged_in)
def _succeeded(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    LoginFailure.objects.filter(username=user.get_username().lower()).delete()
