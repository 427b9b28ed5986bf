from django.urls import path

from . import views, views_calendar, views_competency

app_name = "team"
urlpatterns = [
    path("", views.home, name="home"),
    path("timesheet/", views.timesheet, name="timesheet"),
    path("scorecards/", views.scorecards, name="scorecards"),
    path("scorecards/<str:rep_id>/", views.scorecard, name="scorecard"),
    path("signals/", views.signals, name="signals"),
    path("focus/", views.focus, name="focus"),
    path("calendar/", views_calendar.calendar_page, name="calendar"),
    path("calendar/<int:day_id>/remove/", views_calendar.calendar_remove, name="calendar_remove"),
    path("competency/", views_competency.competency_list, name="competencies"),
    path("competency/<str:rep_id>/", views_competency.competency_detail, name="competency"),
    path("competency/<str:rep_id>/assess/", views_competency.assess, name="assess"),
]
