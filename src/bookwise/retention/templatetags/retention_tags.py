from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..selectors import TierInfo

register = template.Library()


@register.filter
def tier_of(tiers: dict[int, TierInfo] | None, account_pk: int) -> TierInfo | None:
    """{{ tiers|tier_of:account.pk }} -> the TierInfo (or None)."""
    return tiers.get(account_pk) if tiers else None


@register.simple_tag
def tier_badge(info: TierInfo | None) -> SafeString | str:
    """A tier badge, marked when pinned by hand."""
    if info is None:
        return ""
    title = f"pinned (computed {info.computed_tier})" if info.pinned else "computed"
    mark = " 📌" if info.pinned else ""
    return format_html('<span class="badge tier-{0}" title="{1}">{0}{2}</span>', info.tier, title, mark)


@register.filter
def group_param(value: str | None) -> str:
    return "-" if value is None else value
