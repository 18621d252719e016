"""The years app's own pages in the "years" namespace; kaohe/assessment/urls.py adds the pages
that combine the apps to them under /years/."""

from __future__ import annotations

from django.urls import path

from kaohe.years import views

app_name = "years"
urlpatterns = [
    path("", views.year_list, name="list"),
    path("<int:year>/", views.year_detail, name="detail"),
    path("<int:year>/scheme/", views.year_scheme, name="scheme"),
    path(
        "<int:year>/departments/<str:code>/self-assessment/",
        views.year_self_assessment,
        name="self_assessment",
    ),
    path("<int:year>/deadlines/edit/", views.year_deadlines_edit, name="deadlines_edit"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/copy/", views.scheme_copy, name="scheme_copy"),
    path("schemes/<str:scheme_id>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<str:scheme_id>/form/", views.scheme_form, name="scheme_form"),
]
