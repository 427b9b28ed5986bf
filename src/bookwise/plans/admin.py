from django.contrib import admin
from django.core.exceptions import ValidationError

from bookwise.core.admin import AuditedAdmin, register_read_only
from bookwise.core.errors import ApplicationError

from .models import (
    AccountPlan,
    PlanAction,
    PlanMark,
    PlanObjective,
    PlanReview,
    PlanTemplate,
    PlanVersion,
    ReviewReminder,
)
from .services import plan_template_save, validate_sections


@admin.register(PlanTemplate)
class PlanTemplateAdmin(AuditedAdmin):
    """Administrators choose a plan's sections and which are required. `sections` is a list
    of {"key": ..., "label": ..., "required": true|false}; keys: situation, objectives,
    revenue_target, growth_strategy, risks, contacts, actions."""

    list_display = ["name", "is_default"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        def clean_sections(self):
            try:
                return validate_sections(self.cleaned_data["sections"])
            except ApplicationError as exc:
                raise ValidationError(exc.message) from None

        form.clean_sections = clean_sections
        return form

    def save_model(self, request, obj, form, change):
        plan_template_save(template=obj, actor=request.user)


@admin.register(AccountPlan)
class AccountPlanAdmin(AuditedAdmin):
    list_display = ["account", "year", "status", "version", "cadence", "first_approved_on"]
    list_filter = ["year", "status", "cadence"]
    search_fields = ["account__external_id", "account__name"]

    # Plans change through their pages and services only (versions, audit): view-only here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


register_read_only(PlanMark, PlanObjective, PlanAction, PlanVersion, PlanReview, ReviewReminder)
