"""Pre-filled sections of a new plan: the growth strategy from the retention app's gap and
whitespace, the risks from the transfers app's last handoff interview."""

from __future__ import annotations

from datetime import date
from typing import Any

from bookwise.accounts.models import Account


def _money(value: Any) -> str:
    return "unknown" if value is None else f"{value:,.2f}"


def growth_strategy_text(gap: Any) -> str:
    """Text for the growth strategy from a GapInfo (potential, T12M, gap, wallet share,
    whitespace)."""
    if gap is None:
        return ""
    parts = []
    if gap.gap is not None:
        share = "" if gap.wallet_share is None else f", wallet share {gap.wallet_share * 100:.1f} %"
        parts.append(
            f"Close the gap to potential: {_money(gap.gap)} (T12M revenue {_money(gap.t12m_revenue)} "
            f"of potential {_money(gap.potential_revenue)}{share})."
        )
    if gap.whitespace:
        parts.append("Whitespace to open: " + ", ".join(str(w) for w in gap.whitespace) + ".")
    return "\n".join(parts)


RISK_SECTIONS = (
    ("ongoing_obstacles", "Ongoing obstacles"),
    ("past_obstacles", "How past obstacles were handled"),
)


def risks_text(interview: Any) -> str:
    """The obstacle sections of the last handoff interview, one paragraph each."""
    if interview is None:
        return ""
    parts = []
    for name, label in RISK_SECTIONS:
        value = (getattr(interview, name, "") or "").strip()
        if value:
            parts.append(f"{label}: {value}")
    return "\n".join(parts)


def contacts_text(interview: Any) -> str:
    return "" if interview is None else (getattr(interview, "key_contacts", "") or "").strip()


def account_gap(account: Account, day: date) -> Any:
    from bookwise.retention.selectors import account_gaps

    return account_gaps(day=day, account_ids=[account.pk]).get(account.pk)


def last_interview(account: Account) -> Any:
    from bookwise.transfers.selectors import latest_handoff_interview

    return latest_handoff_interview(account=account)


def prefill(account: Account, day: date) -> dict[str, str]:
    interview = last_interview(account)
    return {
        "growth_strategy": growth_strategy_text(account_gap(account, day)),
        "risks": risks_text(interview),
        "contacts": contacts_text(interview),
    }
