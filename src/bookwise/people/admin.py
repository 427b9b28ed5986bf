from django import forms
from django.contrib import admin

from bookwise.core.admin import AuditedAdmin

from .models import Region, Rep, Territory
from .selectors import manager_map
from .services import check_no_manager_cycle


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    search_fields = ["name"]


@admin.register(Territory)
class TerritoryAdmin(AuditedAdmin):
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name"]


class RepAdminForm(forms.ModelForm):
    class Meta:
        model = Rep
        fields = "__all__"  # noqa: DJ007 - the admin edits every field of a rep

    def clean_manager(self):
        manager = self.cleaned_data.get("manager")
        if self.instance.pk:
            managers = manager_map()
            managers[self.instance.pk] = manager.pk if manager else None
            if check_no_manager_cycle(managers):
                raise forms.ValidationError("This manager would close a reporting cycle.")
        return manager


@admin.register(Rep)
class RepAdmin(AuditedAdmin):
    form = RepAdminForm
    list_display = ["external_id", "name", "role", "manager", "territory", "end_date", "capacity"]
    list_filter = ["role", "territory"]
    search_fields = ["external_id", "name", "email"]
    autocomplete_fields = ["manager", "territory", "user"]
