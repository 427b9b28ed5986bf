from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bookwise.accounts"
    label = "accounts"
    verbose_name = "Accounts"
