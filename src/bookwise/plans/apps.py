from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "bookwise.plans"
    label = "plans"
    verbose_name = "Plans"
