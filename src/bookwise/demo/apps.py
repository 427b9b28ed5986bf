from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bookwise.demo"
    label = "demo"
    verbose_name = "Demo company"
