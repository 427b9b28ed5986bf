from django.urls import path

from . import views

app_name = "contacts"
urlpatterns = [
    path("single-threaded/", views.single_threaded_page, name="single_threaded"),
    path("account/<str:account_id>/add/", views.contact_add, name="add"),
    path("<str:contact_id>/edit/", views.contact_edit, name="edit"),
    path("account/<str:account_id>/relationship/", views.relationship_add, name="relationship"),
    path("<str:contact_id>/relationship/<str:rep_id>/remove/", views.relationship_delete, name="remove"),
]
