from django.apps import AppConfig


class CommissionsConfig(AppConfig):
    name = "bookwise.commissions"
    label = "commissions"
    verbose_name = "Commissions"

    def ready(self) -> None:
        from bookwise.accounts.frozen import register_freeze

        from .frozen import approved_periods
        from .panels import register

        register()
        register_freeze(approved_periods)
