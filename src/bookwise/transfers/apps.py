from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest

from bookwise.core.panels import register_panel


def waiting_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Home-page panel: open transfers that need the user; hidden when there are none."""
    from .selectors import transfers_waiting_for

    waiting = list(transfers_waiting_for(user=request.user)[:10])
    return {"transfers_waiting": waiting} if waiting else None


class TransfersConfig(AppConfig):
    name = "bookwise.transfers"
    label = "transfers"
    verbose_name = "Transfers"

    def ready(self) -> None:
        register_panel("transfers", "transfers/_dashboard_panel.html", waiting_panel, order=10, wide=True)
