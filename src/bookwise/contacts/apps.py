from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "bookwise.contacts"
    label = "contacts"
    verbose_name = "Contacts"

    def ready(self) -> None:
        from bookwise.core.panels import ACCOUNT, register_panel

        from .panels import account_panel, home_panel

        register_panel("contacts", "contacts/_account_panel.html", account_panel, order=5, slot=ACCOUNT)
        register_panel("single_threaded", "contacts/_home_panel.html", home_panel, order=30)
