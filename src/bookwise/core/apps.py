from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bookwise.core"
    label = "core"
    verbose_name = "Core"
