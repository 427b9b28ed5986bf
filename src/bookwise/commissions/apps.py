from django.apps import AppConfig


class CommissionsConfig(AppConfig):
    name = "bookwise.commissions"
    label = "commissions"
    verbose_name = "Commissions"

    def ready(self) -> None:
        from .panels import register

        register()
