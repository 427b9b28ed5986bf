from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("", views.retention_page, name="retention"),
    path("accounts/", views.accounts_page, name="accounts"),
    path("lost/", views.lost_page, name="lost"),
    path("lost/<str:account_id>/reason/", views.lost_reason, name="lost_reason"),
    path("tiers/", views.tiers_page, name="tiers"),
    path("tiers/<str:account_id>/pin/", views.pin, name="pin"),
    path("gaps/", views.gaps_page, name="gaps"),
    path("at-risk/", views.at_risk_page, name="at_risk"),
]
