"""The account pages. /accounts/export.csv (`accounts:export`) is the imports app's view;
config/urls.py adds it to this namespace."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list_page, name="list"),
    path("<str:account_id>/", views.account_detail_page, name="detail"),
]
