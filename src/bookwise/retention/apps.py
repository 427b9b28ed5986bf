from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "bookwise.retention"
    label = "retention"
    verbose_name = "Retention"

    def ready(self) -> None:
        from .panels import register

        register()
