from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "bookwise.team"
    label = "team"
    verbose_name = "Team"

    def ready(self) -> None:
        # Keep the scorecards' rollup in step with every revenue rollup refresh (imports,
        # demo builder, `bookwise rollup_refresh`).
        from bookwise.retention.signals import revenue_rollup_refreshed

        from .services import on_revenue_rollup_refreshed

        revenue_rollup_refreshed.connect(on_revenue_rollup_refreshed, dispatch_uid="team_line_rollup")
