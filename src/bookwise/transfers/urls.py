from django.urls import path

from . import views, views_books, views_contacts, views_plans

app_name = "transfers"
urlpatterns = [
    path("", views.transfer_index, name="list"),
    path("new/<str:account_id>/", views.transfer_new, name="new"),
    path("<int:transfer_id>/", views.transfer_detail, name="detail"),
    path("<int:transfer_id>/contacts/", views_contacts.interview_contacts_save, name="contacts"),
    path("skills/<str:rep_id>/", views_contacts.skills_save, name="skills"),
    path("<int:transfer_id>/<slug:step>/", views.transfer_step, name="step"),
    path("plans/", views_plans.plan_list, name="plans"),
    path("plans/new/", views_plans.plan_pick, name="plan_pick"),
    path("plans/new/<str:rep_id>/", views_plans.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", views_plans.plan_detail, name="plan"),
    path("plans/<int:plan_id>/lines/<int:line_id>/", views_plans.plan_line_edit, name="plan_line"),
    path(
        "plans/<int:plan_id>/lines/<int:line_id>/remove/",
        views_plans.plan_line_remove,
        name="plan_line_remove",
    ),
    path("plans/<int:plan_id>/discard/", views_plans.plan_discard, name="plan_discard"),
    path("plans/<int:plan_id>/apply/", views_plans.plan_apply, name="plan_apply"),
    path("managers/", views_books.managers_accounts, name="managers"),
    path("tracking/", views_books.tracking, name="tracking"),
]
