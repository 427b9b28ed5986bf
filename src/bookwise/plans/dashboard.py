"""The plans panel of the home page: reviews overdue in the user's scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from .selectors import overdue_reviews_for

SHOWN = 8


def overdue_panel(request: HttpRequest) -> dict[str, Any]:
    overdue = overdue_reviews_for(user=request.user, day=timezone.localdate())
    items = [
        (
            f"{item.account_name}: review due {item.due_date:%Y-%m-%d}, {item.days_overdue} days overdue",
            reverse("plans:detail", args=[item.plan_id]),
        )
        for item in overdue[:SHOWN]
    ]
    more = f" ({len(overdue)} in all)" if len(overdue) > SHOWN else ""
    return {
        "title": f"Plan reviews overdue{more}",
        "url": reverse("plans:overdue"),
        "items": items,
        "empty": "No plan review is overdue.",
    }
