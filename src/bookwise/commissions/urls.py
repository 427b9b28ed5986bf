from django.urls import path

from . import views

app_name = "commissions"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/", views.run_create, name="run_create"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/approve/", views.run_approve, name="run_approve"),
    path("statements/<int:statement_id>/", views.statement_detail, name="statement"),
    path("statements/<int:statement_id>/csv/", views.statement_csv, name="statement_csv"),
    path("statements/<int:statement_id>/disputes/", views.dispute_create, name="dispute_create"),
    path("disputes/", views.dispute_list, name="disputes"),
    path("disputes/<int:dispute_id>/resolve/", views.dispute_resolve, name="dispute_resolve"),
    path("rebates/", views.rebates, name="rebates"),
    path("what-if/", views.what_if_page, name="what_if"),
]
