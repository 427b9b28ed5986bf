"""The hook through which a low app's page hands work to the job queue.

The queue (`bookwise.jobs`) sits above the domain apps: it imports their services to run
them, so they may not import it. It registers its `enqueue` here from its `ready()`; a page
(the import upload's confirmation) calls `background.enqueue(...)` and gets the URL where the
user follows the job, or None when no queue is installed (the caller then does the work
itself, as the command line always does)."""

from __future__ import annotations

from typing import Any, Protocol


class Enqueuer(Protocol):
    def __call__(self, name: str, *, user: Any, label: str, params: dict[str, Any]) -> str: ...


_enqueuer: list[Enqueuer] = []


def register_enqueuer(enqueuer: Enqueuer) -> None:
    _enqueuer[:] = [enqueuer]


def enqueue(name: str, *, user: Any, label: str, params: dict[str, Any]) -> str | None:
    """Queue the job `name` (one the queue registered) for `user`; the URL of its page, or
    None when there is no queue."""
    if not _enqueuer:
        return None
    return _enqueuer[0](name, user=user, label=label, params=params)
