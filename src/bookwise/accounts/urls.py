from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list_page, name="list"),
    path("export.csv", views.account_export_csv, name="export"),
    path("<str:account_id>/", views.account_detail_page, name="detail"),
]
