from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_index, name="index"),
    path("coverage/", views.coverage, name="coverage"),
    path("overdue/", views.overdue, name="overdue"),
    path("account/<str:account_id>/", views.account_plans, name="account"),
    path("account/<str:account_id>/mark/", views.mark, name="mark"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/edit/", views.plan_edit, name="edit"),
    path("<int:plan_id>/review/", views.review_new, name="review"),
    path("<int:plan_id>/pdf/", views.plan_pdf, name="pdf"),
    path("<int:plan_id>/versions/<int:number>/", views.plan_version, name="version"),
    path("<int:plan_id>/<str:step>/", views.plan_workflow, name="workflow"),
]
