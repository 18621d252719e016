"""URLs of the results app."""

from __future__ import annotations

from django.urls import path  # noqa: F401

app_name = "results"
urlpatterns: list = []
