from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.upload_page, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("cancel/", views.cancel, name="cancel"),
]
