from django.contrib import admin

from .models import ApiToken, AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "action"]
    readonly_fields = ["at", "actor", "action", "object_type", "object_id", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only services write (workflows, rollups, history): the admin shows
    them, searchable and filterable, but changes go through the pages that apply the rules."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def register_read_only(*models) -> None:
    for model in models:
        fields = [f.name for f in model._meta.fields]
        admin.site.register(
            model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": fields[:7]})
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made with `bookwise token USERNAME` (the key is shown once); here they can
    be seen and revoked."""

    list_display = ["user", "label", "created_at"]
    search_fields = ["user__username", "label"]
    readonly_fields = ["user", "digest", "label", "created_at"]

    def has_add_permission(self, request):
        return False
