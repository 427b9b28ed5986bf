"""Live cases of the realignment pins API (merged into cases.CASES)."""

from __future__ import annotations

from typing import Any

from bookwise.rebalance import services
from bookwise.rebalance.models import RealignmentPin

from .world import World


def _pin(w: World) -> Any:
    from .cases import Target

    a = w.account()
    done = lambda: RealignmentPin.objects.filter(account=a).exists()  # noqa: E731
    return Target({"account_id": a.external_id}, {"note": "Three-year contract signed by R1."}, done)


def _unpin(w: World) -> Any:
    from .cases import Target

    a = w.account()
    services.pin(account=a, note="Three-year contract signed by R1.", actor=None)
    done = lambda: not RealignmentPin.objects.filter(account=a).exists()  # noqa: E731
    return Target({"account_id": a.external_id}, None, done)


def pin_cases() -> dict[tuple[str, str], Any]:
    from .cases import Case

    return {
        ("PUT", "/api/rebalance/pins/{account_id}"): Case("M1", "R1", 403, _pin),
        ("DELETE", "/api/rebalance/pins/{account_id}"): Case("M1", "M2", 404, _unpin),
    }
