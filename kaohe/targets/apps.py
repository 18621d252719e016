"""Django app configuration."""

from __future__ import annotations

from django.apps import AppConfig


class TargetsConfig(AppConfig):
    """The year's targets, their reports and the proposals they lead to."""

    name = "kaohe.targets"
    label = "targets"
    default_auto_field = "django.db.models.BigAutoField"
