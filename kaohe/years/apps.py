"""Django app configuration."""

from __future__ import annotations

from django.apps import AppConfig


class YearsConfig(AppConfig):
    """The years app."""

    name = "kaohe.years"
    label = "years"
    default_auto_field = "django.db.models.BigAutoField"
