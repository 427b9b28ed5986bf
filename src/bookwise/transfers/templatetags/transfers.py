"""`{% load transfers %}{% transfer_panel account %}`: the account page's transfer panel
(latest handoff interview, open transfer, and a "transfer this account" link for managers)."""

from __future__ import annotations

from typing import Any

from django import template

from bookwise.transfers.permissions import can_manage_for

register = template.Library()


@register.inclusion_tag("transfers/_account_panel.html", takes_context=True)
def transfer_panel(context: dict[str, Any], account: Any) -> dict[str, Any]:
    from bookwise.transfers.models import OPEN_STATES, Transfer
    from bookwise.transfers.selectors import latest_handoff_interview
    from bookwise.transfers.services import open_owner

    user = context["request"].user
    return {
        "account": account,
        "interview": latest_handoff_interview(account=account),
        "open_transfer": Transfer.objects.filter(account=account, state__in=OPEN_STATES).first(),
        "can_transfer": can_manage_for(user, open_owner(account, "primary")),
    }


@register.simple_tag(takes_context=True)
def can_plan_book(context: dict[str, Any], rep: Any) -> bool:
    """Whether the user may plan the handover of `rep`'s book (the link leads to no 404)."""
    return can_manage_for(context["request"].user, rep)


@register.inclusion_tag("transfers/_skills_panel.html", takes_context=True)
def skills_panel(context: dict[str, Any], rep: Any) -> dict[str, Any]:
    """The rep page's skill ratings (read by the recommendation); a form for their managers."""
    from bookwise.people.services import may_rate_skills

    return {"rep": rep, "can_rate": may_rate_skills(context["request"].user, rep), "ratings": range(1, 6)}
