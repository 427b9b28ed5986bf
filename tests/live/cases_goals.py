"""Live cases of the goals API (merged into cases.CASES)."""

from __future__ import annotations

from typing import Any

from bookwise.goals import services
from bookwise.goals.models import Goal

from .world import World


def _year(w: World) -> str:
    return str(w.today.year)


def _set(w: World) -> Any:
    from .cases import Target

    w.account()
    done = lambda: Goal.objects.filter(figure="nrr", level="company", target_units=10500).exists()  # noqa: E731
    return Target({"period": _year(w), "figure": "nrr"}, {"target": "105%"}, done)


def _split(w: World) -> Any:
    from .cases import Target

    w.account()
    services.goal_set(figure_key="new_accounts", period_label=_year(w), target="10", actor=None)
    for node in ("company", "region:East"):
        services.goal_split(figure_key="new_accounts", period_label=_year(w), node_ref=node, method="even",
                            actor=None)  # fmt: skip
    body = {"node": "territory:North", "method": "hand", "targets": {"rep:M1": 1, "rep:R1": "3", "rep:R2": 1}}
    done = lambda: Goal.objects.filter(figure="new_accounts", rep__external_id="R1", target_units=3).exists()  # noqa: E731
    return Target({"period": _year(w), "figure": "new_accounts"}, body, done)


def goal_cases() -> dict[tuple[str, str], Any]:
    from .cases import Case

    return {
        ("PUT", "/api/goals/{period}/{figure}"): Case("D1", "M1", 403, _set),
        ("POST", "/api/goals/{period}/{figure}/split"): Case("M1", "M2", 404, _split),
    }
