"""Plain shapes for JSON (API and CLI) and small view helpers (sparklines, charts).

JSON conventions: ids are external ids, money as strings, ratios as numbers rounded to four
decimals, hours as numbers, null where undefined."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from bookwise.core import charts

from .rules import ALL_KINDS
from .selectors.scorecards import Metric, Scorecard
from .selectors.signals import RepSignals
from .selectors.timestudy import TimeStudy

KIND_LABELS = {
    "prospecting": "Prospecting",
    "new_business_meeting": "New business meeting",
    "account_nurturing": "Account nurturing",
    "admin": "Admin",
    "training": "Training",
}


def ratio(value: Decimal | int | None) -> float | None:
    return None if value is None else float(round(Decimal(value), 4))


def hours(value: Decimal) -> float:
    return float(value)


def metric_value(kind: str, value: Decimal | int | None) -> str | int | float | None:
    if value is None:
        return None
    if kind == "money":
        return f"{Decimal(value):.2f}"
    if kind == "count":
        return int(value)
    return ratio(value)


def metric_json(m: Metric) -> dict[str, Any]:
    return {
        "key": m.key,
        "label": m.label,
        "kind": m.kind,
        "value": metric_value(m.kind, m.value),
        "previous": metric_value(m.kind, m.previous),
        "team_median": ratio(m.median) if m.kind == "count" else metric_value(m.kind, m.median),
        "lower_is_better": m.lower_is_better,
        "note": m.note,
    }


def scorecard_json(card: Scorecard) -> dict[str, Any]:
    return {
        "rep_id": card.rep.external_id,
        "name": card.rep.name,
        "role": card.role,
        "date": card.day.isoformat(),
        "metrics": [metric_json(m) for m in card.metrics],
    }


def time_study_rows(study: TimeStudy) -> list[dict[str, Any]]:
    rows = [
        {
            "rep_id": r.rep.external_id,
            "name": r.rep.name,
            "role": r.rep.role,
            "hours": {k: hours(r.hours[k]) for k in ALL_KINDS},
            "total_hours": hours(r.total),
            "nurturing_share": ratio(r.share),
            "suggested_role": r.fit.role,
            "evidence": r.fit.evidence,
        }
        for r in study.rows
    ]
    return rows


def time_study_summary(study: TimeStudy) -> dict[str, Any]:
    return {
        "rep_id": None,
        "summary": True,
        "team": study.team.external_id if study.team else None,
        "start": study.start.isoformat(),
        "end": study.end.isoformat(),
        "hours": {k: hours(study.hours[k]) for k in ALL_KINDS},
        "total_hours": hours(sum(study.hours.values(), Decimal(0))),
        "nurturing_share": ratio(study.share),
        "threshold": ratio(study.threshold),
        "recommend_separation": study.recommend,
        "roles_already_split": study.split,
        "off_role": study.off_role,
        "evidence": study.evidence,
    }


def time_study_json(study: TimeStudy) -> list[dict[str, Any]]:
    """A list: one row per rep, then one summary row (rep_id null, "summary": true)."""
    return time_study_rows(study) + [time_study_summary(study)]


def signals_json(item: RepSignals) -> dict[str, Any]:
    load = item.load
    return {
        "rep_id": item.rep.external_id,
        "name": item.rep.name,
        "load_points": float(load.points) if load else None,
        "capacity": load.capacity if load else None,
        "utilisation": ratio(load.utilisation) if load else None,
        "overloaded": bool(load and load.overloaded),
        "key_accounts": item.key_accounts,
        "weekly_hours": [{"week": m.isoformat(), "hours": hours(h)} for m, h in item.weeks.weeks],
        "signals": [{"key": s.key, "label": s.label, "evidence": s.evidence} for s in item.signals],
        "delegate_url": item.delegate_url,
    }


def sparkline_points(values: Sequence[Any], width: int = 120, height: int = 24) -> str:
    """SVG polyline points for a tiny trend line (empty when fewer than two known values)."""
    known = [float(v) for v in values if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = width / (len(known) - 1)
    return " ".join(
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}" for i, v in enumerate(known)
    )


def time_chart(study: TimeStudy) -> dict[str, Any]:
    names = [r.rep.name for r in study.rows]
    series: dict[str, Sequence[Any]] = {KIND_LABELS[k]: [r.hours[k] for r in study.rows] for k in ALL_KINDS}
    return charts.bar_chart("Hours by kind per rep", names, series, stacked=True)


def balance_chart(items: Sequence[RepSignals]) -> dict[str, Any]:
    loaded = [(i.rep.name, i.load) for i in items if i.load is not None]
    series: dict[str, Sequence[Any]] = {
        "Load": [load.points for _, load in loaded],
        "Capacity": [load.capacity for _, load in loaded],
    }
    return charts.bar_chart("Workload balance (load and capacity, points)", [n for n, _ in loaded], series)


def assessment_json(a: Any) -> dict[str, Any] | None:
    if a is None:
        return None
    ratings = {
        r.competency: {"rating": r.rating, "evidence": r.evidence, "data_evidence": r.data_evidence}
        for r in a.ratings.all()
    }
    assessor = a.assessor.external_id if a.assessor else None
    return {
        "assessed_on": a.assessed_on.isoformat(),
        "purpose": a.purpose,
        "assessor_id": assessor,
        "ratings": ratings,
    }


def action_json(a: Any) -> dict[str, Any]:
    return {
        "competency": a.competency,
        "kind": a.kind,
        "with": a.partner.external_id if a.partner else None,
        "description": a.description,
        "due_date": a.due_date.isoformat(),
        "completed_on": a.completed_on.isoformat() if a.completed_on else None,
    }


def competency_json(view: Any) -> dict[str, Any]:
    partners = {pid: rep.external_id for pid, rep in view.partners.items()}
    return {
        "rep_id": view.subject.external_id,
        "self": assessment_json(view.self_assessment),
        "director": assessment_json(view.director_assessment),
        "gaps": [
            {
                "competency": g.competency,
                "self": g.self_rating,
                "director": g.director_rating,
                "difference": g.difference,
            }
            for g in view.gaps
        ],
        "suggestions": [
            {
                "competency": s.competency,
                "kind": s.kind,
                "with": partners.get(s.partner_id),
                "reason": s.reason,
            }
            for s in view.suggestions
        ],
        "actions": [action_json(a) for a in view.actions],
        "readiness": {
            "ready": view.readiness.ready,
            "basis": view.readiness.basis,
            "reasons": view.readiness.reasons,
        },
    }
