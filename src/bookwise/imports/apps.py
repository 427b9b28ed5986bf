from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "bookwise.imports"
    label = "imports"
    verbose_name = "Imports"
