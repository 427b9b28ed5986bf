"""{% in_unit value standing %}: a goal's value as people read it; {% goal_url standing %}."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from bookwise.goals.present import shown

register = template.Library()


@register.simple_tag
def in_unit(value: Any, standing: Any) -> str:
    return shown(value, standing.figure.kind)


@register.simple_tag
def goal_url(standing: Any) -> str:
    base = reverse("goals:detail", args=[standing.goal.period, standing.figure.key])
    return f"{base}?{urlencode({'node': standing.ref})}"
