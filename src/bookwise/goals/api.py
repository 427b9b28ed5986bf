"""Goals over the API: list the goals one may see, set the company's, split a node's."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StrictFloat, StrictInt, StrictStr

from bookwise.accounts.selectors import today
from bookwise.core.paging import ApiDate

from . import services
from .figures import measuring
from .periods import goal_period
from .present import goal_row
from .selectors import part_refs, visible_standings

router = Router(tags=["goals"])
Target = StrictStr | StrictInt | StrictFloat  # a JSON true is not 1


class GoalOut(Schema):
    figure: str
    period: str
    node: str
    node_name: str
    level: str
    target: str
    target_to_date: str | None
    actual: str | None
    attainment: float | None
    status: str
    as_of: str | None
    split_method: str | None
    split_adds_up: bool | None


class SetIn(Schema):
    target: Target = Field(description='a ratio as a fraction (1.05) or per cent ("105%"); money; a count')


class SplitIn(Schema):
    node: str = Field(max_length=200, description="company, region:NAME, territory:NAME or rep:ID")
    method: Literal["even", "last_year", "hand"]
    targets: dict[str, Target] = Field(default_factory=dict, description="by hand: part's node -> target")


def _rows(request: HttpRequest, period: str, figure: str | None, day: Any) -> list[dict[str, Any]]:
    with measuring():
        found = visible_standings(user=request.user, period=goal_period(period, today()), day=day or today(),
                                  figure_key=figure, with_checks=True)  # fmt: skip
        return [goal_row(s) for s in found]


@router.get("/goals", response=list[GoalOut])
def goal_list(
    request: HttpRequest, period: str | None = None, figure: str | None = None, date: ApiDate | None = None
):
    """The goals of a period (default this year) the caller may see, each with the figure to
    date, the target to date, attainment and status (on `date`, default today)."""
    return _rows(request, period or str(today().year), figure, date)


def _one(request: HttpRequest, period: str, figure: str, ref: str) -> dict[str, Any]:
    rows = _rows(request, period, figure, None)
    return next(r for r in rows if r["node"] == ref)


@router.put("/goals/{period}/{figure}", response=GoalOut)
def goal_set(request: HttpRequest, period: str, figure: str, payload: SetIn):
    """Set the company's goal for a figure and period (directors and administrators)."""
    services.goal_set(figure_key=figure, period_label=period, target=payload.target, actor=request.user)
    return _one(request, period, figure, "company")


@router.post("/goals/{period}/{figure}/split", response=list[GoalOut])
def goal_split(request: HttpRequest, period: str, figure: str, payload: SplitIn):
    """Split a node's goal among its parts: evenly, by last year's share or by hand (then
    `targets` names each part). Refused, changing nothing, unless the parts add up."""
    services.goal_split(figure_key=figure, period_label=period, node_ref=payload.node, method=payload.method,
                        targets=payload.targets, actor=request.user)  # fmt: skip
    parts = {r["node"]: r for r in _rows(request, period, figure, None)}
    return [parts[ref] for ref in part_refs(goal_period(period, today()), payload.node) if ref in parts]
