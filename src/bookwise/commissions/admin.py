"""Admin: plans are edited as YAML and saved as a NEW version (never rewriting the past);
quotas and rebate programmes are audited; runs, statements and disputes are read-only here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml
from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import models
from django.http import HttpRequest

from bookwise.core.admin import AuditedAdmin, register_read_only

from .compute.rules import Plan
from .models import (
    CommissionPlan,
    Dispute,
    PlanVersion,
    QuotaOverride,
    RebateProgramme,
    Run,
    RunAttempt,
    RunChunk,
    Statement,
)
from .planfile import PlanFileError, parse_plan_file
from .services import plan_version_create
from .services.plans import audited_save

# django-stubs' admin and form classes are generic over their model; Django's own cannot be
# subscripted at run time, so the typed bases exist for mypy only.
if TYPE_CHECKING:
    PlanModelForm = forms.ModelForm[CommissionPlan]
    VersionTabularInline = admin.TabularInline[PlanVersion, CommissionPlan]
    AnyModelAdmin = admin.ModelAdmin[models.Model]
else:
    PlanModelForm, VersionTabularInline = forms.ModelForm, admin.TabularInline
    AnyModelAdmin = admin.ModelAdmin


def spec_to_yaml(spec: dict[str, Any]) -> str:
    data = {k: v for k, v in spec.items() if v not in (None, [], "0")}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


class CommissionPlanForm(PlanModelForm):
    rules = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 24, "cols": 90}),
        help_text="The plan as in the plan file (roles, valid_from, valid_to, period, base, quota, tiers, "
        "transfer_rule, co_coverage_split, override). Saving makes a new version.",
    )

    class Meta:
        model = CommissionPlan
        fields = ["name"]

    parsed: Plan

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # ModelForm's own signature
        super().__init__(*args, **kwargs)
        latest = self.instance.latest() if self.instance.pk else None
        if latest is not None:
            self.fields["rules"].initial = spec_to_yaml({k: v for k, v in latest.spec.items() if k != "name"})
            self.fields["name"].disabled = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name = cleaned.get("name") or self.instance.name
        body = cleaned.get("rules", "")
        try:
            data = yaml.safe_load(body) or {}
            data = {"name": name, **data} if isinstance(data, dict) else data
            text = yaml.safe_dump({"plans": [data]}, sort_keys=False)
            self.parsed = parse_plan_file(text, "plan").plans[0]
        except yaml.YAMLError as exc:
            raise forms.ValidationError(f"Not valid YAML: {exc}") from None
        except PlanFileError as exc:
            raise forms.ValidationError([e.split(": ", 1)[-1] for e in exc.errors]) from None
        return cleaned


class VersionInline(VersionTabularInline):
    model = PlanVersion
    extra = 0
    can_delete = False
    fields = ("version", "period", "valid_from", "valid_to", "source", "created_by", "created_at")
    readonly_fields = ("version", "period", "valid_from", "valid_to", "source", "created_by", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: CommissionPlan | None = None) -> bool:
        return False


class ServiceAudited(AuditedAdmin):
    """A save goes through a service that records it (with before and after): the admin adds
    no second entry for it. A deletion is still recorded by AuditedAdmin."""

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> LogEntry:
        return admin.ModelAdmin.log_addition(self, request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> LogEntry:
        return admin.ModelAdmin.log_change(self, request, obj, message)


@admin.register(CommissionPlan)
class CommissionPlanAdmin(ServiceAudited):
    form = CommissionPlanForm
    list_display = ["name", "updated_at"]
    search_fields = ["name"]
    inlines = [VersionInline]

    def save_model(
        self, request: HttpRequest, obj: CommissionPlan, form: CommissionPlanForm, change: bool
    ) -> None:
        version, _ = plan_version_create(plan=form.parsed, actor=request.user, source="admin")
        obj.pk = version.plan_id

    def has_delete_permission(self, request: HttpRequest, obj: CommissionPlan | None = None) -> bool:
        return False


@admin.register(QuotaOverride)
class QuotaOverrideAdmin(ServiceAudited):
    list_display = ["rep", "period", "quota"]
    search_fields = ["rep__external_id", "period"]
    autocomplete_fields = ["rep"]

    def save_model(
        self, request: HttpRequest, obj: QuotaOverride, form: forms.ModelForm[QuotaOverride], change: bool
    ) -> None:
        audited_save(obj=obj, actor=request.user, action="commissions.quota.set")


@admin.register(RebateProgramme)
class RebateProgrammeAdmin(ServiceAudited):
    list_display = ["name", "year"]

    def save_model(
        self, request: HttpRequest, obj: RebateProgramme, form: forms.ModelForm[RebateProgramme], change: bool
    ) -> None:
        audited_save(obj=obj, actor=request.user, action="commissions.rebate.set")


class ReadOnly(AnyModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(Run)
class RunAdmin(ReadOnly):
    list_display = ["period", "status", "commission", "override", "adjustments", "approved_at"]
    list_filter = ["status"]


@admin.register(Statement)
class StatementAdmin(ReadOnly):
    list_display = ["run", "rep", "commission", "override", "adjustments"]
    search_fields = ["rep__external_id"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnly):
    list_display = ["statement", "order_id", "status", "amount", "resolved_at"]
    list_filter = ["status"]


@admin.register(RunAttempt)
class RunAttemptAdmin(ReadOnly):  # a run on the workers, until gathered (services.run_chunks)
    list_display = ["period", "created_by", "created_at"]


@admin.register(RunChunk)
class RunChunkAdmin(ReadOnly):
    list_display = ["attempt", "index"]


register_read_only(PlanVersion)
