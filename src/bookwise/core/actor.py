"""Who is acting, for the audit trail, when a service is not told: the signed-in user of
the web request or API call being served (set by the middleware), or the person running a
`bookwise` command (`--as USER`, else the operating-system user; set by cli.py)."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist


@dataclass
class CommandActor:
    """The person behind a command: `as_user` when given with --as, `os_user` always."""

    command: str
    os_user: str
    as_user: str = ""
    user: Any = field(default=None, repr=False)
    resolved: bool = False

    def resolve(self) -> Any:
        """The Django user: the --as one (LookupError when there is none), else the user
        named like the OS user when one exists, else None."""
        if not self.resolved:
            users = get_user_model().objects
            name = self.as_user or self.os_user
            self.user = users.filter(username=name).first()
            self.resolved = True
            if self.as_user and self.user is None:
                raise LookupError(f"--as {self.as_user}: there is no user {self.as_user!r}")
        return self.user


_request: ContextVar[Any] = ContextVar("bookwise_audit_request", default=None)
_command: ContextVar[CommandActor | None] = ContextVar("bookwise_audit_command", default=None)


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no USER variable and no passwd entry (some containers)
        return "unknown"


@contextmanager
def serving(request: Any) -> Iterator[None]:
    """While a request is served, unattributed audit entries belong to its user."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def command_start(*, command: str, as_user: str = "") -> CommandActor:
    """Mark this process as running `command` for `as_user` (or the OS user)."""
    actor = CommandActor(command=command, os_user=os_user(), as_user=as_user)
    _command.set(actor)
    return actor


@contextmanager
def running_command(*, command: str, as_user: str = "") -> Iterator[CommandActor]:
    """command_start for a block (tests, or a command run from Python)."""
    token = _command.set(CommandActor(command=command, os_user=os_user(), as_user=as_user))
    try:
        yield _command.get()  # type: ignore[misc]
    finally:
        _command.reset(token)


@dataclass(frozen=True)
class Acting:
    """Who an audit entry is attributed to, how they came (web, api, command, system) and
    what goes into the entry's data about it (the command line, the OS user)."""

    user: Any
    via: str
    extra: dict[str, str]

    @property
    def name(self) -> str:
        if self.user is not None:
            return person_name(self.user)
        if self.via == "command":
            return f"{self.extra['os_user']} (OS user)"
        return "system"


def acting(actor: Any = None) -> Acting:
    """Resolve who acts: the `actor` a service was given when it is a signed-in user, else the
    request's user, else the command's person; the command line is noted either way."""
    command = _command.get()
    extra = {"command": command.command, "os_user": command.os_user} if command else {}
    if getattr(actor, "is_authenticated", False):
        return Acting(actor, _via(command), extra)
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    if getattr(user, "is_authenticated", False):
        return Acting(user, _via(command), extra)
    if command is not None:
        return Acting(command.resolve(), "command", extra)
    return Acting(None, "system", extra)


def _via(command: CommandActor | None) -> str:
    if command is not None:
        return "command"
    request = _request.get()
    if request is None:
        return "system"
    path = getattr(request, "path", "")
    if path.startswith("/api/"):
        return "api"
    return "admin" if path.startswith("/admin/") else "web"


def person_name(user: Any) -> str:
    """A user as people know them: the rep's name, else the full name, else the username."""
    try:
        rep = user.rep
    except (ObjectDoesNotExist, AttributeError):
        rep = None
    name = getattr(rep, "name", "") or user.get_full_name() or user.username
    return name if name == user.username else f"{name} ({user.username})"
