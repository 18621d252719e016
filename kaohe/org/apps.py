"""Django app configuration."""

from __future__ import annotations

from django.apps import AppConfig


class OrgConfig(AppConfig):
    """The org app."""

    name = "kaohe.org"
    label = "org"
    default_auto_field = "django.db.models.BigAutoField"
