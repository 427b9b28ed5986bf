"""Loading the plan file: validated whole, then stored as new plan versions (never
rewriting an old one), quota overrides and rebate programmes; every change audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from bookwise.core.actor import acting
from bookwise.core.services import audit_changes, audit_record
from bookwise.core.users import Viewer
from bookwise.people.models import Rep
from bookwise.people.services import rep_label

from ..compute.rules import Plan
from ..models import CommissionPlan, PlanVersion, QuotaOverride, RebateProgramme
from ..planfile import PlanFile, PlanFileError, parse_plan_file, plan_to_json


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)  # "name vN"
    unchanged: list[str] = field(default_factory=list)
    quotas: int = 0
    rebates: int = 0


def check_references(parsed: PlanFile, filename: str) -> None:
    """Quota rep ids must exist (errors with their line, like the file's own)."""
    known = set(
        Rep.objects.filter(external_id__in=[q.rep_id for q in parsed.quotas]).values_list(
            "external_id", flat=True
        )
    )
    errors = [
        f"{filename}:{q.line}: unknown rep_id {q.rep_id!r}" for q in parsed.quotas if q.rep_id not in known
    ]
    if errors:
        raise PlanFileError(errors)


@transaction.atomic
def plan_version_create(
    *, plan: Plan, actor: Viewer | None = None, source: str = ""
) -> tuple[PlanVersion, bool]:
    """A new version of the named plan when its rules differ from the newest version;
    (version, created). Audited with the rules that changed, before and after."""
    spec = plan_to_json(plan)
    record, _ = CommissionPlan.objects.get_or_create(name=plan.name)
    CommissionPlan.objects.select_for_update().filter(pk=record.pk).first()
    latest = record.versions.order_by("-version").first()
    if latest is not None and latest.spec == spec:
        return latest, False
    version = PlanVersion.objects.create(
        plan=record,
        version=(latest.version + 1) if latest else 1,
        spec=spec,
        period=plan.period,
        valid_from=plan.valid_from,
        valid_to=plan.valid_to,
        source=source,
        created_by=acting(actor).user,
    )
    before, after = audit_changes(latest.spec if latest else {}, spec)
    data = {
        "plan": plan.name,
        "version": version.version,
        "previous_version": latest.version if latest else None,
        "source": source,
        "before": before,
        "after": after,
    }
    audit_record(actor=actor, action="commissions.plan.version", obj=version, data=data)
    return version, True


@transaction.atomic
def plan_file_load(
    *, text: str, filename: str, actor: Viewer | None = None, dry_run: bool = False
) -> LoadReport:
    """Validate the whole file (PlanFileError with every `FILE:LINE: message`), then
    store it; nothing is stored when anything is wrong or on a dry run."""
    parsed = parse_plan_file(text, filename)
    check_references(parsed, filename)
    report = LoadReport()
    if dry_run:
        report.created = [p.name for p in parsed.plans]
        return report
    for plan in parsed.plans:
        version, created = plan_version_create(plan=plan, actor=actor, source=filename)
        (report.created if created else report.unchanged).append(f"{plan.name} v{version.version}")
    reps = {r.external_id: r for r in Rep.objects.filter(external_id__in=[q.rep_id for q in parsed.quotas])}
    for q in parsed.quotas:
        obj = QuotaOverride.objects.filter(rep=reps[q.rep_id], period=q.period).first()
        obj = obj or QuotaOverride(rep=reps[q.rep_id], period=q.period)
        obj.quota = q.quota
        report.quotas += audited_save(obj=obj, actor=actor, action="commissions.quota.set", source=filename)
    for r in parsed.rebates:
        programme = RebateProgramme.objects.filter(name=r.name).first() or RebateProgramme(name=r.name)
        programme.year, programme.tiers = r.year, [{"from": str(a), "rate": str(b)} for a, b in r.tiers]
        report.rebates += audited_save(
            obj=programme, actor=actor, action="commissions.rebate.set", source=filename
        )
    return report


def _facts(obj: QuotaOverride | RebateProgramme | None) -> dict[str, Any]:
    """What an entry keeps of a quota override or a rebate programme (the rep by name)."""
    if obj is None:
        return {}
    if isinstance(obj, QuotaOverride):
        return {"rep": rep_label(obj.rep), "period": obj.period, "quota": f"{Decimal(str(obj.quota)):.2f}"}
    return {"name": obj.name, "year": obj.year, "tiers": obj.tiers}


@transaction.atomic
def audited_save(
    *, obj: QuotaOverride | RebateProgramme, actor: Viewer | None, action: str, source: str = "admin"
) -> int:
    """Save a quota override or a rebate programme (the plan file, the admin) with one audit
    entry holding what changed, before and after; 1 when something changed, else 0."""
    stored = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
    before, after = audit_changes(_facts(stored), _facts(obj))
    if stored is not None and not after:
        return 0
    obj.save()
    audit_record(
        actor=actor, action=action, obj=obj, data={"source": source, "before": before, "after": after}
    )
    return 1
