from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django import template
from django.apps import apps
from django.templatetags.static import static
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join, json_script

from bookwise.core.actor import person_name
from bookwise.core.money import display_money
from bookwise.core.numbers import display_number, display_percent

register = template.Library()
_chart_ids = itertools.count(1)

# One date format throughout the pages, ISO (2026-12-05; 2026-12-05 14:03 for a moment): the
# one every page and export already used, unambiguous in every country.
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
MISSING = "—"


@register.filter
def money(value: Decimal | str | None) -> str:
    """1234567.5 -> 1,234,567.50; a dash for None."""
    return display_money(value, MISSING)


@register.filter
def percent(value: Decimal | float | str | None, digits: int = 1) -> str:
    """0.9312 -> 93.1 %; a dash for a missing or undefined ratio."""
    return display_percent(value, digits)


@register.filter
def number(value: Decimal | float | int | str | None, digits: int | None = None) -> str:
    """A count or a quantity (hours, points) with thousands separators: 4187.5 -> 4,187.5;
    `digits` fixes the decimals; a dash for None."""
    return display_number(value, digits)


def _as_date(value: Any) -> date | datetime | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return None


@register.filter
def display_date(value: Any, missing: str = MISSING) -> str:
    """The one date format of the pages, 2026-12-05 (from a date, a datetime or an ISO string)."""
    day = _as_date(value)
    if day is None:
        return str(value) if value not in (None, "") else missing
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return date_format(day, DATE_FORMAT)


@register.filter
def display_datetime(value: Any, missing: str = MISSING) -> str:
    """2026-12-05 14:03, in the site's time zone."""
    if not isinstance(value, datetime):
        return display_date(value, missing)
    return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, DATETIME_FORMAT)


@cache
def choice_labels() -> dict[str, str]:
    """Every stored choice value of every model -> its label ("account_manager" -> "Account
    manager"), read from the models' fields once."""
    labels: dict[str, str] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, text in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str) and value:
                    labels.setdefault(value, str(text))
    return labels


@register.filter
def label(value: Any) -> str:
    """An enum value as people read it: the model's choice label, else the words of the
    value ("account_manager" -> "Account manager", "unexplained" -> "Unexplained")."""
    if value is None or value == "":
        return MISSING
    text = str(value)
    known = choice_labels().get(text)
    if known is not None:
        return known
    words = text.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


@register.filter
def person(user: Any) -> str:
    """A login as people know it: the rep's name and the username ("Rita Rep (rita)"); a dash
    for nobody."""
    return person_name(user) if user is not None and user != "" else MISSING


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """{{ names|lookup:row.owner_id }}: mapping[key], or None."""
    try:
        return mapping.get(key) if mapping else None
    except AttributeError:
        return None


@register.simple_tag
def plotly_script() -> str:
    return format_html('<script src="{}"></script>', static("vendor/plotly/plotly.min.js"))


@register.simple_tag
def chart(spec: dict[str, Any], css_class: str = "chart") -> str:
    """A Plotly chart from a core.charts spec; needs {% plotly_script %} on the page. It is
    drawn by static/bookwise/app.js once the page is laid out (so it takes its container's
    width, and the Content-Security-Policy needs no inline script)."""
    chart_id = f"chart-{next(_chart_ids)}"
    return format_html(
        '<div id="{0}" class="{1}" data-chart="{0}-data"></div>{2}',
        chart_id,
        css_class,
        json_script(spec, f"{chart_id}-data"),
    )


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters changed (for sort and page links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()


@register.simple_tag
def picker(name: str, value: Any, options: Any, list_id: str = "", placeholder: str = "type a name") -> str:
    """A type-ahead box: <input list=...> with a <datalist> of (value, hint) options; works
    offline in every browser, and the server resolves what was typed (a name or an id)."""
    list_id = list_id or f"{name}-choices"
    items = format_html_join("", '<option value="{}">{}</option>', ((v, hint) for v, hint in options or []))
    return format_html(
        '<input name="{0}" id="id_{0}" list="{1}" value="{2}" placeholder="{3}" autocomplete="off">'
        '<datalist id="{1}">{4}</datalist>',
        name,
        list_id,
        "" if value is None else value,
        placeholder,
        items,
    )
