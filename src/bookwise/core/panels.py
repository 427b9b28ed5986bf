"""Where other features add panels to the home page (open transfers waiting for the user,
overdue plan reviews, ...): call `register_panel` from your app's `AppConfig.ready()`.

    from bookwise.core.panels import register_panel
    register_panel("transfers", "transfers/_dashboard_panel.html", lambda request: {...}, order=10)

The template is rendered inside a card with the dict the function returns (plus `request`
and `user`); return None to hide the panel for this user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register_panel(
    name: str, template: str, context: Callable[[HttpRequest], dict[str, Any] | None], order: int = 100
) -> None:
    """Add (or replace, by name) a home-page panel."""
    _PANELS[name] = Panel(name, template, context, order)


def unregister_panel(name: str) -> None:
    _PANELS.pop(name, None)


def panels_for(request: HttpRequest) -> list[tuple[Panel, dict[str, Any]]]:
    """The registered panels with their context for this request, in order."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(request)
        if context is not None:
            shown.append((panel, context))
    return shown
