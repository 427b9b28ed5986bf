from django.urls import path

from . import views

app_name = "goals"
urlpatterns = [
    path("", views.goal_index, name="index"),
    path("set/", views.goal_set, name="set"),
    path("off-track/", views.off_track_page, name="off_track"),
    path("<str:period>/<str:figure>/", views.goal_detail, name="detail"),
    path("<str:period>/<str:figure>/split/", views.goal_split, name="split"),
]
