from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "bookwise.plans"
    label = "plans"
    verbose_name = "Plans"

    def ready(self) -> None:
        from bookwise.dashboard.panels import register_panel

        from .dashboard import overdue_panel

        register_panel("plans-overdue", "dashboard/_panel.html", overdue_panel, order=20)
