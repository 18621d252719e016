"""URLs of the organisation's pages, included by kaohe/assessment/urls.py under years/org/
in the "years" namespace (the names years:org_list, years:org_new, ... are unchanged)."""

from __future__ import annotations

from django.urls import path

from kaohe.org import views

urlpatterns = [
    path("", views.org_list, name="org_list"),
    path("new/", views.org_new, name="org_new"),
    path("<str:code>/", views.org_edit, name="org_edit"),
    path("<str:code>/staff/", views.org_staff, name="org_staff"),
]
