"""Accounts in the admin. Every add, change and delete here is audited (AuditedAdmin);
ownership rows can only be deleted here (a mistaken row), which is audited with the row as
it was; an account's deletion keeps its ownership history in the audit entry."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from bookwise.core.admin import AuditedAdmin, register_read_only

from .forms import AccountAdminForm
from .models import Account, Activity, DeferredIndex, Opportunity, OrderLine, Ownership


class OwnershipInline(admin.TabularInline):
    model = Ownership
    extra = 0
    autocomplete_fields = ["rep"]
    readonly_fields = ["role", "rep", "start_date", "end_date", "reason"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # ownership changes go through transfers, so history stays consistent


@admin.register(Account)
class AccountAdmin(AuditedAdmin):
    form = AccountAdminForm  # the rules of accounts.services for potential, created and lost dates
    list_display = ["external_id", "name", "industry", "territory", "status", "potential_revenue"]
    list_filter = ["status", "territory", "lost_reason"]
    search_fields = ["external_id", "name"]
    autocomplete_fields = ["territory", "parent"]
    inlines = [OwnershipInline]

    def audit_extra(self, obj: Any) -> dict[str, Any]:
        rows = obj.ownerships.select_related("rep").order_by("role", "start_date")
        return {"ownership": [f"{o.role}: {o.rep} {o.start_date}..{o.end_date or 'open'}" for o in rows]}


@admin.register(Ownership)
class OwnershipAdmin(AuditedAdmin):
    list_display = ["account", "rep", "role", "start_date", "end_date", "reason"]
    list_filter = ["role", "reason"]
    search_fields = ["account__external_id", "rep__external_id"]
    autocomplete_fields = ["account", "rep"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(OrderLine)
class OrderLineAdmin(AuditedAdmin):
    list_display = ["external_id", "account", "order_date", "amount", "gross_profit", "kind"]
    list_filter = ["kind"]
    search_fields = ["external_id", "account__external_id"]
    autocomplete_fields = ["account", "rep"]
    show_full_result_count = False


@admin.register(Opportunity)
class OpportunityAdmin(AuditedAdmin):
    list_display = ["external_id", "account", "name", "stage", "amount", "expected_close_date"]
    list_filter = ["stage"]
    search_fields = ["external_id", "name", "account__external_id"]
    autocomplete_fields = ["account", "rep"]


@admin.register(Activity)
class ActivityAdmin(AuditedAdmin):
    list_display = ["rep", "date", "kind", "hours", "account"]
    list_filter = ["kind"]
    search_fields = ["rep__external_id"]
    autocomplete_fields = ["account", "rep"]


register_read_only(DeferredIndex)  # system state: the indexes a bulk load left to build
