from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_index, name="index"),
    path("renewals/", views.renewals, name="renewals"),
    path("coverage/", views.coverage, name="coverage"),
    path("new/", views.agreement_new, name="new"),
    path("<str:agreement_id>/", views.agreement_detail, name="detail"),
    path("<str:agreement_id>/edit/", views.agreement_edit, name="edit"),
    path("<str:agreement_id>/status/", views.agreement_status, name="status"),
]
