"""URLs of the assessment office's round pages, under /ballots/."""

from __future__ import annotations

from django.urls import path

from kaohe.ballots import views
from kaohe.ballots.paper import views as paper_views

app_name = "ballots"
urlpatterns = [
    path("<int:year>/rounds/", views.rounds, name="rounds"),
    path("<int:year>/rounds/open/", views.round_open, name="open"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/issue/", views.round_issue, name="issue"),
    path("rounds/<int:pk>/slips.pdf", views.round_slips, name="slips"),
    path("rounds/<int:pk>/form.pdf", views.round_form_specimen, name="form_specimen"),
    path("rounds/<int:pk>/revoke/", views.round_revoke, name="revoke"),
    path("rounds/<int:pk>/turnout/", views.round_turnout, name="turnout"),
    path("rounds/<int:pk>/close/", views.round_close, name="close"),
    path("rounds/<int:pk>/export/", views.round_export, name="export"),
    path("rounds/<int:pk>/paper/", paper_views.paper_entry, name="paper_entry"),
    path("rounds/<int:pk>/paper/disputes/", paper_views.paper_disputes, name="paper_disputes"),
    path(
        "rounds/<int:pk>/paper/disputes/<int:entry>/",
        paper_views.paper_decide,
        name="paper_decide",
    ),
    path("rounds/<int:pk>/scans/", paper_views.paper_scans, name="paper_scans"),
    path("rounds/<int:pk>/scans/<int:scan>/", paper_views.paper_scan, name="paper_scan"),
    path(
        "rounds/<int:pk>/scans/<int:scan>/page.png",
        paper_views.paper_scan_image,
        name="paper_scan_image",
    ),
]
