from django.urls import path

from . import views

app_name = "team"
urlpatterns = [
    path("", views.home, name="home"),
    path("timesheet/", views.timesheet, name="timesheet"),
    path("scorecards/", views.scorecards, name="scorecards"),
    path("scorecards/<str:rep_id>/", views.scorecard, name="scorecard"),
    path("signals/", views.signals, name="signals"),
]
