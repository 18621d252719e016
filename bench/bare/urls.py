"""The bare app's three pages."""

from __future__ import annotations

from django.urls import path

from bench.bare import views

urlpatterns = [
    path("hello/", views.hello),
    path("table/", views.table),
    path("table/logged-in/", views.table_logged_in),
    path("token/", views.token),
]
