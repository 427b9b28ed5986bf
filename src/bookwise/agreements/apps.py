from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "bookwise.agreements"
    label = "agreements"
    verbose_name = "Supply agreements"

    def ready(self) -> None:
        from .hooks import register

        register()
