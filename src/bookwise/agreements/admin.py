"""Agreements are read in the admin; they change through the pages, the API and the import,
which apply the rules and the lifecycle and audit every change."""

from bookwise.core.admin import register_read_only

from .models import Agreement, AgreementReminder

register_read_only(Agreement, AgreementReminder)
