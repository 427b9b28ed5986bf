"""The periods an approved commission run freezes (registered with accounts.frozen, which
holds the rule and is asked by transfers and imports)."""

from __future__ import annotations

from bookwise.core.dates import Period, parse_period

from .models import Run, RunStatus


def approved_periods() -> list[Period]:
    """The periods of the approved runs, latest end first."""
    labels = Run.objects.filter(status=RunStatus.APPROVED).values_list("period", flat=True)
    return sorted((parse_period(label) for label in labels), key=lambda p: p.end, reverse=True)
