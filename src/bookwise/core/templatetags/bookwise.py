from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, json_script

register = template.Library()
_chart_ids = itertools.count(1)


@register.filter
def money(value: Decimal | None) -> str:
    """1234567.5 -> 1,234,567.50; empty for None."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def percent(value: Decimal | float | None, digits: int = 1) -> str:
    """0.9312 -> 93.1 %; a dash for a missing or undefined ratio."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(str(value)) * 100:.{digits}f} %"


@register.simple_tag
def plotly_script() -> str:
    return format_html('<script src="{}"></script>', static("vendor/plotly/plotly.min.js"))


@register.simple_tag
def chart(spec: dict[str, Any], css_class: str = "chart") -> str:
    """A Plotly chart from a core.charts spec; needs {% plotly_script %} on the page. It is
    drawn once the page is laid out, so it takes its container's width."""
    chart_id = f"chart-{next(_chart_ids)}"
    return format_html(
        '<div id="{0}" class="{1}"></div>{2}'
        "<script>document.addEventListener('DOMContentLoaded',function(){{"
        "var s=JSON.parse(document.getElementById('{0}-data').textContent);"
        "Plotly.newPlot('{0}',s.data,s.layout,{{displayModeBar:false,responsive:true}});}});</script>",
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
