from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bookwise.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import throttle  # noqa: F401 - connects the sign-in signal receivers
