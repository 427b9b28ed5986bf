from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "bookwise.retention"
    label = "retention"
    verbose_name = "Retention"
