from django.contrib import admin

from bookwise.core.admin import AuditedAdmin

from .models import RealignmentPin, RebalanceLine, RebalanceProposal


@admin.register(RealignmentPin)
class RealignmentPinAdmin(AuditedAdmin):
    list_display = ["account", "note", "pinned_by", "created_at"]
    raw_id_fields = ["account"]


class LineInline(admin.TabularInline):
    model = RebalanceLine
    extra = 0
    can_delete = False
    readonly_fields = ["account", "from_rep", "to_rep", "points", "cost", "unit", "edited", "transfer"]

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(RebalanceProposal)
class RebalanceProposalAdmin(AuditedAdmin):
    """Read only: proposals change through the page, the API and the command line (audited)."""

    list_display = ["id", "scope_label", "scenario", "state", "day", "objective", "gap"]
    list_filter = ["state"]
    inlines = [LineInline]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(RebalanceLine)
class RebalanceLineAdmin(AuditedAdmin):
    """Read only, as the proposals."""

    list_display = ["proposal", "account", "from_rep", "to_rep", "points", "edited", "transfer"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
