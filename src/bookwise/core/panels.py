"""Where higher apps add panels to pages of lower ones, without the lower app importing them.

A page owned by a low layer (the home page, the account page) shows what higher apps know
about its subject by asking this registry, and each higher app registers its panel from its
own `AppConfig.ready()`: the import runs upward-to-downward only (the higher app imports
core), never from the page to the feature.

    from bookwise.core.panels import register_panel
    register_panel("transfers", "transfers/_dashboard_panel.html", lambda request: {...}, order=10)
    register_panel("gap", "retention/_account_gap_panel.html", gap_panel, slot="account")

Slots (the page and what the context function is given):
- "home" (the default): the dashboard; `context(request)`. The template is rendered inside
  a card with the returned dict as `panel`; a `wide` panel (a table of many columns) takes two
  of the grid's columns where the screen has them.
- "account": the account page; `context(request, account=..., day=...)` for an account the
  user may see. The template renders its own card, with the returned dict as `panel`.

The context function returns None to hide the panel for this request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

HOME = "home"
ACCOUNT = "account"

PanelContext = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: PanelContext
    order: int = 100
    slot: str = HOME
    wide: bool = False


_PANELS: dict[tuple[str, str], Panel] = {}


def register_panel(
    name: str, template: str, context: PanelContext, order: int = 100, slot: str = HOME, wide: bool = False
) -> None:
    """Add (or replace, by slot and name) a panel."""
    _PANELS[(slot, name)] = Panel(name, template, context, order, slot, wide)


def unregister_panel(name: str, slot: str = HOME) -> None:
    _PANELS.pop((slot, name), None)


def panels_for(request: HttpRequest, slot: str = HOME, **subject: Any) -> list[tuple[Panel, dict[str, Any]]]:
    """The slot's registered panels with their context for this request (and the page's
    subject, e.g. `account=`, `day=`), in order."""
    shown = []
    in_slot = [p for p in _PANELS.values() if p.slot == slot]
    for panel in sorted(in_slot, key=lambda p: (p.order, p.name)):
        context = panel.context(request, **subject)
        if context is not None:
            shown.append((panel, context))
    return shown
