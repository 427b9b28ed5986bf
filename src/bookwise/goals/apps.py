from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "bookwise.goals"
    label = "goals"
    verbose_name = "Goals"

    def ready(self) -> None:
        from bookwise.core.panels import register_panel

        from .figures import register_optional_figures
        from .panels import goals_panel

        register_optional_figures()
        register_panel("goals", "goals/_dashboard_panel.html", goals_panel, order=5, wide=True)
