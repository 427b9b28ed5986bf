from django.urls import path

from . import views, views_wizard
from . import views_wizard_runs as runs

app_name = "imports"
urlpatterns = [
    path("", views.upload_page, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("cancel/", views.cancel, name="cancel"),
    path("wizard/", views_wizard.wizard_start, name="wizard"),
    path("wizard/<str:token>/map/", views_wizard.wizard_map, name="wizard-map"),
    path("wizard/<str:token>/preview/", views_wizard.wizard_preview, name="wizard-preview"),
    path("wizard/<str:token>/errors.csv", runs.wizard_preview_errors, name="wizard-preview-errors"),
    path("wizard/<str:token>/confirm/", views_wizard.wizard_confirm, name="wizard-confirm"),
    path("wizard/<str:token>/cancel/", views_wizard.wizard_cancel, name="wizard-cancel"),
    path("wizard/runs/<int:run_id>/", runs.wizard_run, name="wizard-run"),
    path("wizard/runs/<int:run_id>/errors.csv", runs.wizard_run_errors, name="wizard-run-errors"),
]
