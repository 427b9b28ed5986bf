from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "bookwise.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
