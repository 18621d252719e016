"""Django app configuration."""

from __future__ import annotations

from django.apps import AppConfig


class ResultsConfig(AppConfig):
    """The results app."""

    name = "kaohe.results"
    label = "results"
    default_auto_field = "django.db.models.BigAutoField"
