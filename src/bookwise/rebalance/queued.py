"""Scenarios solved on the job queue: the page queues a batch (core.background, the hook the
jobs app registers), the worker solves it (`run_queued`, named in jobs/registry.py) and the
comparison page shows "solving" until the batch's proposals exist. The batch's state (queued,
solving n of m, failed with the error) lives in the shared cache, which the server and the
workers all read; the proposals themselves are stored in one transaction at the end."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.cache import cache
from django.urls import reverse

from bookwise.core import background
from bookwise.core.errors import ApplicationError

from . import services
from .options import scenario_settings
from .problem import Settings
from .scopes import Scope, parse_scope

JOB = "rebalance_propose"
KEEP_SECONDS = 24 * 3600
QUEUED_TIME_LIMIT = 300.0  # seconds per scenario on a worker (the company-wide target)
Progress = Callable[[int, int | None], None]


def _key(batch: str) -> str:
    return f"rebalance:batch:{batch}"


def batch_state(batch: str) -> dict[str, Any] | None:
    """{"state": queued|solving|failed, "done", "total", "error", "job_url", "scope_label"}
    of a batch on the queue; None when it is not (or no longer) known."""
    return cache.get(_key(batch))


def _set(batch: str, **changes: Any) -> None:
    cache.set(_key(batch), {**(batch_state(batch) or {}), **changes}, KEEP_SECONDS)


def _params(scope: Scope, day: date, scenarios: list[Settings], split: bool, batch: str) -> dict[str, Any]:
    return {
        "scope": scope.text, "day": day.isoformat(), "split": split, "batch": batch,
        "scenarios": [{"tolerance": s.tolerance, "max_moves": s.max_moves,
                       "max_moves_per_rep": s.max_moves_per_rep, "keep_territory": s.keep_territory,
                       "max_revenue_moved": s.max_revenue_moved, "balance": s.balance,
                       "balance_tolerance": s.balance_tolerance} for s in scenarios],
    }  # fmt: skip


def enqueue(*, scope: Scope, day: date, scenarios: list[Settings], split: bool, user: Any) -> str | None:
    """Queue the batch; its id, or None when there is no queue (the caller solves it)."""
    batch = uuid.uuid4().hex
    _set(
        batch, state="queued", done=0, total=len(scenarios), scope_label=scope.label,
        user_id=getattr(user, "pk", None),
    )  # fmt: skip
    label = f"Rebalance {scope.label}: {len(scenarios)} scenario{'s' if len(scenarios) != 1 else ''}"
    params = _params(scope, day, scenarios, split, batch)
    queued = background.enqueue(JOB, user=user, label=label, params=params)
    if queued is None:
        cache.delete(_key(batch))
        return None
    if batch_state(batch) is not None:  # still on its way (a queue in the caller is done by now)
        _set(batch, job_url=queued.page)
    return batch


def run_queued(params: dict[str, Any], progress: Progress, user: Any) -> tuple[str, str]:
    """The job: solve the batch as its user, then the sentence and the comparison page."""
    batch = params["batch"]

    def advance(done: int, total: int) -> None:
        progress(done, total)
        _set(batch, state="solving", done=done, total=total)

    _set(batch, state="solving")
    try:
        made = services.propose(
            scope=parse_scope(params["scope"]), day=date.fromisoformat(params["day"]),
            scenarios=[scenario_settings(**s) for s in params["scenarios"]], actor=user,
            split=bool(params["split"]), time_limit=QUEUED_TIME_LIMIT, batch=batch, progress=advance,
        )  # fmt: skip
    except ApplicationError as error:
        _set(batch, state="failed", error=error.message)
        raise
    except Exception as error:
        _set(batch, state="failed", error=f"{type(error).__name__}: {error}")
        raise
    cache.delete(_key(batch))
    label = made[0].scope_label if made else params["scope"]
    return (
        f"Rebalance of {label}: {len(made)} scenario{'s' if len(made) != 1 else ''} ready to compare.",
        reverse("rebalance:compare", kwargs={"batch": batch}),
    )
