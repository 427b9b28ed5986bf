from django.urls import path

from . import views, views_edit

app_name = "rebalance"
urlpatterns = [
    path("", views.index, name="index"),
    path("compare/<slug:batch>/", views.compare_batch, name="compare"),
    path("<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("<int:proposal_id>/lines/<int:line_id>/", views_edit.line_reassign, name="line"),
    path("<int:proposal_id>/lines/<int:line_id>/remove/", views_edit.line_remove, name="line_remove"),
    path("<int:proposal_id>/commit/", views_edit.proposal_commit, name="commit"),
    path("<int:proposal_id>/discard/", views_edit.proposal_discard, name="discard"),
]
