"""Loading the plan file: validated whole, then stored as new plan versions (never
rewriting an old one), quota overrides and rebate programmes; every change audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from bookwise.core.services import audit_record
from bookwise.people.models import Rep

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
def plan_version_create(*, plan: Plan, actor: Any = None, source: str = "") -> tuple[PlanVersion, bool]:
    """A new version of the named plan when its rules differ from the newest version;
    (version, created)."""
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
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="commissions.plan.version",
        obj=version,
        data={"plan": plan.name, "version": version.version, "source": source},
    )
    return version, True


@transaction.atomic
def plan_file_load(*, text: str, filename: str, actor: Any = None, dry_run: bool = False) -> LoadReport:
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
    reps = dict(
        Rep.objects.filter(external_id__in=[q.rep_id for q in parsed.quotas]).values_list("external_id", "id")
    )
    for q in parsed.quotas:
        obj, created = QuotaOverride.objects.get_or_create(
            rep_id=reps[q.rep_id], period=q.period, defaults={"quota": q.quota}
        )
        if created or obj.quota != q.quota:
            obj.quota = q.quota
            obj.save()
            audit_record(
                actor=actor,
                action="commissions.quota.set",
                obj=obj,
                data={"rep_id": q.rep_id, "period": q.period, "quota": str(q.quota)},
            )
            report.quotas += 1
    for r in parsed.rebates:
        tiers = [{"from": str(a), "rate": str(b)} for a, b in r.tiers]
        programme, created = RebateProgramme.objects.get_or_create(
            name=r.name, defaults={"year": r.year, "tiers": tiers}
        )
        if created or programme.year != r.year or programme.tiers != tiers:
            programme.year, programme.tiers = r.year, tiers
            programme.save()
            audit_record(
                actor=actor,
                action="commissions.rebate.set",
                obj=programme,
                data={"name": r.name, "year": r.year, "tiers": tiers},
            )
            report.rebates += 1
    return report


@transaction.atomic
def audited_save(*, obj: QuotaOverride | RebateProgramme, actor: Any, action: str) -> None:
    """Save a quota override or a rebate programme edited in the admin, audited."""
    obj.save()
    data = (
        {"quota": str(obj.quota), "period": obj.period}
        if isinstance(obj, QuotaOverride)
        else {"tiers": obj.tiers}
    )
    audit_record(actor=actor, action=action, obj=obj, data=data)
