"""URLs of the audit trail's page (the "audit" namespace)."""

from __future__ import annotations

from django.urls import path

from kaohe.assessment import audit_page as views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
    path("export.xlsx", views.export, {"kind": "xlsx"}, name="export_xlsx"),
    path("export.csv", views.export, {"kind": "csv"}, name="export_csv"),
]
