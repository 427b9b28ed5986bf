"""Account tiers (A, B, C) as the account pages show them: the list's tier column and tier
filter, and the tier among the account page's facts.

Tiers are computed by retention, a layer above accounts, so accounts may not import them.
Retention hands its lookup to `provide_tiers` from `RetentionConfig.ready()` and the pages
ask `tiers_for` / `tiers_matching`. One hook serves all three uses (rather than a page panel
for the fact and another mechanism for the list) because all three read the same value per
account, and the filter needs it across the whole visible list, before paging. Without a
provider (retention not installed) no account has a tier: the column shows "—" and a tier
filter matches nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Protocol


class Tier(Protocol):
    """What the pages read of a tier (retention's `TierInfo`)."""

    @property
    def tier(self) -> str: ...

    @property
    def t12m_revenue(self) -> Decimal: ...

    @property
    def pinned(self) -> bool: ...


#: `lookup(day=, account_ids=None)` -> account pk -> Tier; all accounts when ids are None
TierLookup = Callable[..., Mapping[int, Tier]]

_PROVIDER: dict[str, TierLookup] = {}


def provide_tiers(lookup: TierLookup) -> None:
    """Set (or replace) the function that computes accounts' tiers."""
    _PROVIDER["tiers"] = lookup


def tiers_for(*, day: date, account_ids: Iterable[int]) -> dict[int, Tier]:
    """account pk -> tier for these accounts (empty when none asked or no provider)."""
    ids = list(account_ids)
    lookup = _PROVIDER.get("tiers")
    return dict(lookup(day=day, account_ids=ids)) if ids and lookup else {}


def tiers_matching(*, day: date, tier: str) -> set[int]:
    """The pks of every account in `tier` at `day`."""
    lookup = _PROVIDER.get("tiers")
    if lookup is None:
        return set()
    return {pk for pk, info in lookup(day=day, account_ids=None).items() if info.tier == tier}
