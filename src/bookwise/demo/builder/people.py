"""The sales organisation: 1 director, 5 sales managers, 40 reps and 2 who left."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bookwise.core.dates import add_months

from .blueprint import RepSpec
from .catalogue import (
    DIRECTOR_ID,
    DIRECTOR_NAME,
    FIRST_NAMES,
    LAST_NAMES,
    PROMOTED_MANAGER,
    PROMOTION_MONTHS_AGO,
    TEAMS,
)

TEAM_SIZES = {"SM1": 8, "SM2": 8, "SM3": 9, "SM4": 9, "SM5": 6}
HUNTERS_PER_TEAM = 2
# (team, months ago) of the two reps who left during the history
DEPARTED = (("SM2", 20), ("SM4", 9))
NEW_HIRES = (("SM3", 7), ("SM1", 4))  # (team, months ago hired)
LEAVING_TEAM = "SM2"  # one account manager of this team leaves next month
LONG_HOURS = 4  # reps who regularly work more than 50 hours a week


def _names(rng: random.Random) -> list[str]:
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    return names


def leaving_date(today: date) -> date:
    """The 15th of next month: the day the leaving rep goes."""
    return add_months(today.replace(day=15), 1)


def _past(rng: random.Random, today: date, min_years: int, max_years: int) -> date:
    return today - timedelta(days=rng.randint(min_years * 365, max_years * 365))


def _managers(rng: random.Random, today: date) -> list[RepSpec]:
    director = RepSpec(
        DIRECTOR_ID, DIRECTOR_NAME, "director", None, None, _past(rng, today, 10, 14), capacity=100
    )
    reps = [director]
    for sm_id, (name, territories) in TEAMS.items():
        hire = _past(rng, today, 5, 11)
        if sm_id == PROMOTED_MANAGER:
            hire = min(hire, add_months(today, -PROMOTION_MONTHS_AGO - 36))
        reps.append(RepSpec(sm_id, name, "sales_manager", DIRECTOR_ID, territories[0], hire, capacity=40))
    return reps


def _team(rng: random.Random, today: date, sm_id: str, first_number: int, names: list[str]) -> list[RepSpec]:
    territories = TEAMS[sm_id][1]
    reps = []
    for i in range(TEAM_SIZES[sm_id]):
        role = "hunter" if i < HUNTERS_PER_TEAM else "account_manager"
        rep = RepSpec(
            external_id=f"R{first_number + i:02d}",
            name=names.pop(),
            role=role,
            manager=sm_id,
            territory=territories[i % len(territories)],
            hire_date=_past(rng, today, 4, 10),
            capacity=60 if role == "hunter" else 120,
            communication=rng.randint(2, 5),
            flexibility=rng.randint(1, 5),
        )
        reps.append(rep)
    return reps


def _adjust_history(rng: random.Random, today: date, reps: list[RepSpec], names: list[str]) -> list[RepSpec]:
    """New hires, the rep leaving next month, long-hours reps and the two who left."""
    by_team: dict[str, list[RepSpec]] = {}
    for rep in reps:
        if rep.role == "account_manager":
            by_team.setdefault(rep.manager or "", []).append(rep)
    for team, months in NEW_HIRES:
        by_team[team][-1].hire_date = add_months(today, -months)
    by_team[LEAVING_TEAM][1].end_date = leaving_date(today)
    for rep in rng.sample([r for r in reps if r.role in ("hunter", "account_manager")], LONG_HOURS):
        rep.long_hours = True
    gone = []
    for number, (team, months) in enumerate(DEPARTED, start=len(reps) + 1):
        territory = TEAMS[team][1][0]
        end = add_months(today, -months)
        hire = _past(rng, today, 5, 9)
        gone.append(RepSpec(f"R{number:02d}", names.pop(), "account_manager", team, territory, hire, end))
    return gone


def plan_people(rng: random.Random, today: date) -> list[RepSpec]:
    names = _names(rng)
    managers = _managers(rng, today)
    reps: list[RepSpec] = []
    for sm_id in TEAMS:
        reps.extend(_team(rng, today, sm_id, len(reps) + 1, names))
    gone = _adjust_history(rng, today, reps, names)
    return managers + reps + gone
