"""The data of the features built on the book (transfers, account plans, team assessments,
commissions), written through each feature's own services with the right actors after the
book is stored. Deterministic: every choice follows external ids and `today`."""

from __future__ import annotations

from datetime import date

from django.test.utils import override_settings

from .commissions import build_commissions, quarters
from .goals import build_goals
from .plans import build_plans
from .team import build_team, promotion_candidate
from .transfers import build_transfers, leaving_rep

__all__ = ["build_features", "feature_story"]


# The services notify by e-mail; the demo's people have made-up addresses: send nothing.
QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


def build_features(today: date) -> dict[str, int]:
    with override_settings(EMAIL_BACKEND=QUIET_MAIL):
        return _build(today)


def _build(today: date) -> dict[str, int]:
    counts: dict[str, int] = {}
    counts.update(build_transfers(today))
    counts.update(build_plans(today))
    counts.update(build_team(today))
    counts.update(build_commissions(today))
    counts.update(build_goals(today))
    return counts


def feature_story(today: date) -> list[tuple[str, str]]:
    """(who / page, what to look at) for the printed story."""
    leaver = leaving_rep(today)
    manager = leaver.manager if leaver else None
    before_last, last = quarters(today)
    lines = []
    if leaver and manager:
        lines.append(
            (
                f"{manager.external_id.lower()} /",
                f"{manager.name}'s home page: transfers of {leaver.name}'s accounts waiting, "
                "plan reviews overdue",
            )
        )
        lines.append(("/transfers/", "a draft, a handoff with its interview, an introduced client, a waiver"))
    lines += [
        ("/plans/", "plans of the tier-A accounts: approved, two drafts, one submitted for approval"),
        ("/plans/coverage/", "tier-A accounts without a plan"),
        ("/plans/overdue/", "reviews overdue (also `bookwise plans overdue`)"),
        ("/team/competency/", "self and director assessments of SM1-SM3 (SM2: big gaps, development plan)"),
        (f"/team/competency/{promotion_candidate()}/", "a strong rep assessed for promotion"),
        ("/commissions/", f"run {before_last} approved, {last} computed (draft, not approved)"),
        ("/commissions/disputes/", f"one disputed line of {before_last}"),
        ("/goals/", f"the company's goals for {today.year}, split to regions, territories and reps"),
        ("/goals/off-track/", "territories and reps off track; sm1: region North's NRR goal to split"),
    ]
    return lines
