"""URLs of the targets app."""

from __future__ import annotations

from django.urls import path

from kaohe.targets import views

app_name = "targets"
urlpatterns = [
    path("<int:year>/", views.target_list, name="list"),
    path("<int:year>/new/", views.target_new, name="new"),
    path("<int:year>/compile/", views.targets_compile, name="compile"),
    path("<int:year>/approve/", views.targets_approve, name="approve"),
    path("<int:year>/targets.xlsx", views.targets_xlsx, name="xlsx"),
    path("<int:year>/supervision/", views.supervision, name="supervision"),
    path("<int:year>/proposals/", views.proposals, name="proposals"),
    path("<int:year>/proposals/make/", views.proposals_make, name="proposals_make"),
    path("proposals/<int:pk>/", views.proposal_handle, name="proposal_handle"),
    path("t/<int:pk>/", views.target_detail, name="detail"),
    path("t/<int:pk>/edit/", views.target_edit, name="edit"),
    path("t/<int:pk>/submit/", views.target_submit, name="submit"),
    path("t/<int:pk>/review/", views.target_review, name="review"),
    path("t/<int:pk>/report/", views.report_submit, name="report"),
    path("evidence/<uuid:pk>/", views.report_evidence, name="evidence"),
]
