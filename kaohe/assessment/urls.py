"""URLs under /years/ (the "years" namespace): years, schemes, the year's pages, and the
organisation's pages (kaohe/org/urls.py, included under org/)."""

from __future__ import annotations

from django.urls import include, path

from kaohe.assessment import views

app_name = "years"
urlpatterns = [
    path("", views.year_list, name="list"),
    path("new/", views.year_new, name="new"),
    path("<int:year>/", views.year_detail, name="detail"),
    path("<int:year>/scheme/", views.year_scheme, name="scheme"),
    path("<int:year>/departments/", views.year_departments, name="departments"),
    path("<int:year>/overview/", views.year_overview, name="overview"),
    path("<int:year>/departments/<str:code>/", views.year_department, name="department"),
    path(
        "<int:year>/departments/<str:code>/self-assessment/",
        views.year_self_assessment,
        name="self_assessment",
    ),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/copy/", views.scheme_copy, name="scheme_copy"),
    path("schemes/<str:scheme_id>/edit/", views.scheme_edit, name="scheme_edit"),
    path("org/", include("kaohe.org.urls")),
]
