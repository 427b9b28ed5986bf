from django.apps import AppConfig

from bookwise.core.panels import register_panel


class PlansConfig(AppConfig):
    name = "bookwise.plans"
    label = "plans"
    verbose_name = "Plans"

    def ready(self) -> None:
        from .dashboard import overdue_panel

        register_panel("plans-overdue", "dashboard/_panel.html", overdue_panel, order=20)
