from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.rep_list_page, name="list"),
    path("<str:rep_id>/", views.rep_detail_page, name="detail"),
]
