"""URLs of the audit app."""

from __future__ import annotations

from django.urls import path

from kaohe.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
]
