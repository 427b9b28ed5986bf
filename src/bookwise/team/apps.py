from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "bookwise.team"
    label = "team"
    verbose_name = "Team"

    def ready(self) -> None:
        # Keep the scorecards' rollup in step with every revenue rollup refresh (imports,
        # demo builder, `bookwise rollup_refresh`), and outdated with it by a large import.
        from bookwise.retention.signals import revenue_rollup_outdated, revenue_rollup_refreshed

        from .services import on_revenue_rollup_outdated, on_revenue_rollup_refreshed

        revenue_rollup_refreshed.connect(on_revenue_rollup_refreshed, dispatch_uid="team_line_rollup")
        revenue_rollup_outdated.connect(on_revenue_rollup_outdated, dispatch_uid="team_line_rollup_outdated")
