from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "bookwise.team"
    label = "team"
    verbose_name = "Team"
