"""/reps/: the rep pages. The namespace stays `people` (the pages are about people); the views
are accounts' because they show each rep's book (see `views_reps`)."""

from django.urls import path

from . import views_reps as views

app_name = "people"
urlpatterns = [
    path("", views.rep_list_page, name="list"),
    path("<str:rep_id>/", views.rep_detail_page, name="detail"),
]
