"""The hook through which a low app hands work to the job queue.

The queue (`bookwise.jobs`) sits above the domain apps: it imports their services to run
them, so they may not import it. It registers its `enqueue` here from its `ready()`; a page
(the import upload's confirmation) or an API endpoint calls `background.enqueue(...)` and
gets the job as `Queued` (its id, its state, the page where a person follows it and the API
URL where a script does), or None when no queue is installed (the caller then does the work
itself, as the command line always does)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Queued:
    """A job just queued. `state` is "queued", or already "done"/"failed" when the queue runs
    jobs in the caller (the tests'); `page` is its line on /jobs/, or the result's page once it
    is done with one; `url` is the job in the API (GET /api/jobs/<id>)."""

    id: int
    state: str
    page: str
    url: str


class Enqueuer(Protocol):
    def __call__(
        self, name: str, *, user: Any, label: str, params: dict[str, Any], follow: bool = True
    ) -> Queued: ...


_enqueuer: list[Enqueuer] = []


def register_enqueuer(enqueuer: Enqueuer) -> None:
    _enqueuer[:] = [enqueuer]


def enqueue(
    name: str, *, user: Any, label: str, params: dict[str, Any], follow: bool = True
) -> Queued | None:
    """Queue the job `name` (one the queue registered) for `user`; the job, or None when there
    is no queue. `follow=False`: nobody follows it from here, so its page and URL are left
    empty (a command line need not load every URL of the site to work them out)."""
    if not _enqueuer:
        return None
    return _enqueuer[0](name, user=user, label=label, params=params, follow=follow)
