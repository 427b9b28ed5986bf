from django.apps import AppConfig

from bookwise.core.background import register_enqueuer


class JobsConfig(AppConfig):
    name = "bookwise.jobs"
    label = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        from .tasks import enqueue_for_page  # the huey tasks (and the schedule) register on import

        register_enqueuer(enqueue_for_page)
