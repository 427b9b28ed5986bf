"""Admin: plans are edited as YAML and saved as a NEW version (never rewriting the past);
quotas and rebate programmes are audited; runs, statements and disputes are read-only here."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.contrib import admin
from django.http import HttpRequest

from bookwise.core.admin import AuditedAdmin, register_read_only

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


def spec_to_yaml(spec: dict) -> str:
    data = {k: v for k, v in spec.items() if v not in (None, [], "0")}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


class CommissionPlanForm(forms.ModelForm):
    rules = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 24, "cols": 90}),
        help_text="The plan as in the plan file (roles, valid_from, valid_to, period, base, quota, tiers, "
        "transfer_rule, co_coverage_split, override). Saving makes a new version.",
    )

    class Meta:
        model = CommissionPlan
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = self.instance.latest() if self.instance.pk else None
        if latest is not None:
            self.fields["rules"].initial = spec_to_yaml({k: v for k, v in latest.spec.items() if k != "name"})
            self.fields["name"].disabled = True

    def clean(self):
        cleaned = super().clean()
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


class VersionInline(admin.TabularInline):
    model = PlanVersion
    extra = 0
    can_delete = False
    fields = ("version", "period", "valid_from", "valid_to", "source", "created_by", "created_at")
    readonly_fields = ("version", "period", "valid_from", "valid_to", "source", "created_by", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


class ServiceAudited(AuditedAdmin):
    """A save goes through a service that records it (with before and after): the admin adds
    no second entry for it. A deletion is still recorded by AuditedAdmin."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return admin.ModelAdmin.log_addition(self, request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return admin.ModelAdmin.log_change(self, request, obj, message)


@admin.register(CommissionPlan)
class CommissionPlanAdmin(ServiceAudited):
    form = CommissionPlanForm
    list_display = ["name", "updated_at"]
    search_fields = ["name"]
    inlines = [VersionInline]

    def save_model(self, request, obj, form, change):
        version, _ = plan_version_create(plan=form.parsed, actor=request.user, source="admin")
        obj.pk = version.plan_id

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuotaOverride)
class QuotaOverrideAdmin(ServiceAudited):
    list_display = ["rep", "period", "quota"]
    search_fields = ["rep__external_id", "period"]
    autocomplete_fields = ["rep"]

    def save_model(self, request, obj, form, change):
        audited_save(obj=obj, actor=request.user, action="commissions.quota.set")


@admin.register(RebateProgramme)
class RebateProgrammeAdmin(ServiceAudited):
    list_display = ["name", "year"]

    def save_model(self, request, obj, form, change):
        audited_save(obj=obj, actor=request.user, action="commissions.rebate.set")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
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
