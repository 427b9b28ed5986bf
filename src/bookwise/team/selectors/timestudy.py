"""Time study (METRICS.md Roles): hours per kind per rep, team nurturing share, separation
advice with its evidence, and a per-rep role suggestion from time mix and results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Sum

from bookwise.accounts.models import Activity
from bookwise.people.models import Rep

from ..advice import other_role_share, percent, roles_split
from ..rules import ALL_KINDS, RoleFit, nurturing_share, recommend_separation, role_fit
from ..wording import DISPLAY, PLAIN, Wording
from .common import decimal_setting
from .scorecards import Scorecard, build_scorecards, peers_of

ZERO = Decimal("0.00")
HALF = Decimal("0.5")
HOURS = DecimalField(max_digits=14, decimal_places=2)


@dataclass
class RepTime:
    rep: Rep
    hours: dict[str, Decimal]
    share: Decimal | None
    fit: RoleFit

    @property
    def total(self) -> Decimal:
        return sum(self.hours.values(), ZERO)

    @property
    def hour_list(self) -> list[Decimal]:
        return [self.hours[k] for k in ALL_KINDS]

    @property
    def display_evidence(self) -> list[str]:
        """The role suggestion's evidence as the page writes it: the share as its column does
        (12.3 %), the threshold whole (50 %)."""
        return self.fit.evidence_in(DISPLAY.share, 1)


@dataclass
class TimeStudy:
    team: Rep | None
    start: date
    end: date
    threshold: Decimal
    rows: list[RepTime] = field(default_factory=list)
    hours: dict[str, Decimal] = field(default_factory=dict)
    share: Decimal | None = None
    recommend: bool = False
    evidence: list[str] = field(default_factory=list)
    split: bool = False  # the team already has hunters and account managers
    off_role: list[str] = field(default_factory=list)  # who spends over half on the other role

    @property
    def hour_list(self) -> list[Decimal]:
        return [self.hours.get(k, ZERO) for k in ALL_KINDS]

    @property
    def reps(self) -> list[Rep]:
        return [r.rep for r in self.rows]

    @property
    def display_evidence(self) -> list[str]:
        """`evidence` as the page writes it (thousands separators, hours rounded)."""
        return team_evidence(self, DISPLAY)


def hours_by_rep(rep_ids: Iterable[int], start: date, end: date) -> dict[int, dict[str, Decimal]]:
    """rep id -> kind -> hours in [start, end] (every kind present, 0 when none)."""
    result: dict[int, dict[str, Decimal]] = {rid: dict.fromkeys(ALL_KINDS, ZERO) for rid in rep_ids}
    rows = (
        Activity.objects.filter(rep_id__in=list(result), date__range=(start, end))
        .order_by()
        .values("rep_id", "kind")
        .annotate(total=Sum("hours", output_field=HOURS))
    )
    for row in rows:
        result[row["rep_id"]][row["kind"]] = Decimal(row["total"]).quantize(Decimal("0.01"))
    return result


def _fit(card: Scorecard | None, share: Decimal | None, threshold: Decimal) -> RoleFit:
    """Role suggestion from the time mix and every role metric we have for the rep."""
    if card is None:
        return role_fit(share=share, threshold=threshold, hunter={}, manager={})
    return role_fit(share=share, threshold=threshold, hunter=card.hunter_view, manager=card.manager_view)


def team_evidence(study: TimeStudy, words: Wording = PLAIN) -> list[str]:
    """The recommendation's evidence, figures written by `words` (PLAIN for JSON and the
    commands, DISPLAY for the page)."""
    nurturing = study.hours.get("account_nurturing", ZERO)
    selling = nurturing + study.hours.get("prospecting", ZERO) + study.hours.get("new_business_meeting", ZERO)
    if study.share is None:
        return ["no prospecting, new-business or nurturing hours recorded in the period"]
    above = [r for r in study.rows if r.share is not None and r.share > study.threshold]
    comparison = "above" if study.share > study.threshold else "not above"
    lines = [
        f"team nurturing share {words.share(study.share, 1)} is {comparison} the threshold "
        f"{words.share(study.threshold, 0)}",
        f"{words.hours(nurturing)} of {words.hours(selling)} selling hours went to account nurturing",
        f"{len(above)} of {len(study.rows)} reps spend more than {words.share(study.threshold, 0)} "
        "of their selling time nurturing",
    ]
    return lines + ([split_sentence(study.reps)] if study.split else [])


def time_study(*, reps: list[Rep], team: Rep | None, start: date, end: date) -> TimeStudy:
    threshold = decimal_setting("nurturing_threshold")
    hours = hours_by_rep([r.id for r in reps], start, end)
    cards = {c.rep.id: c for c in role_cards(reps, end)}
    study = TimeStudy(team=team, start=start, end=end, threshold=threshold)
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for rep in reps:
        share = nurturing_share(hours[rep.id])
        study.rows.append(RepTime(rep, hours[rep.id], share, _fit(cards.get(rep.id), share, threshold)))
        for kind, h in hours[rep.id].items():
            totals[kind] += h
    study.hours = {k: totals[k] for k in ALL_KINDS}
    study.share = nurturing_share(study.hours)
    study.split = roles_split(r.role for r in reps)
    study.recommend = recommend_separation(study.share, threshold) and not study.split
    study.evidence = team_evidence(study)
    study.off_role = off_role_lines(study.rows)
    return study


def split_sentence(reps: list[Rep]) -> str:
    hunters = sum(1 for r in reps if r.role == "hunter")
    managers = sum(1 for r in reps if r.role == "account_manager")
    return (
        f"the roles are already split: {hunters} hunter{'s' if hunters != 1 else ''} and {managers} "
        f"account manager{'s' if managers != 1 else ''}, so no separation is advised"
    )


def off_role_lines(rows: list[RepTime]) -> list[str]:
    """Who spends more than half their selling time on the other role's work, in words."""
    lines = []
    for row in rows:
        other = other_role_share(row.rep.role, row.share)
        if other is not None and other > HALF:
            work = "nurturing accounts" if row.rep.role == "hunter" else "hunting new business"
            role = row.rep.get_role_display().lower()
            lines.append(f"{row.rep.name} ({role}) spends {percent(other)} of their selling time {work}")
    return lines


def role_cards(reps: list[Rep], day: date) -> list[Scorecard]:
    """Both role views for every selling rep (hunter and account-manager metrics), with medians
    over the reps of the study, so the suggestion compares like with like."""
    selling = [r for r in reps if r.role in ("hunter", "account_manager")]
    if not selling:
        return []
    return build_scorecards(peers_of(selling), day, both_roles=True)
