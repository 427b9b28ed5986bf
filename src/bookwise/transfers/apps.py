from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "bookwise.transfers"
    label = "transfers"
    verbose_name = "Transfers"
