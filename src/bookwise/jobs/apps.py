from typing import Any

from django.apps import AppConfig

from bookwise.core.background import Queued, register_enqueuer


def enqueue(name: str, *, user: Any, label: str, params: dict[str, Any], follow: bool = True) -> Queued:
    """core.background's hook (jobs.tasks.enqueue). The tasks module is imported
    here, at the first job queued, not at start-up: it brings huey and its storage clients
    (redis, psycopg) and every job's services, most of a small command's start-up. The
    worker (`bookwise worker`) imports it before it takes jobs, so the tasks and the daily
    schedule are registered there."""
    from . import tasks  # lazy, for huey: see above

    return tasks.enqueue(name, user=user, label=label, params=params, follow=follow)


class JobsConfig(AppConfig):
    name = "bookwise.jobs"
    label = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        register_enqueuer(enqueue)
