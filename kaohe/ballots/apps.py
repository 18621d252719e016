"""Django app configuration."""

from __future__ import annotations

from django.apps import AppConfig


class BallotsConfig(AppConfig):
    """The ballots app."""

    name = "kaohe.ballots"
    label = "ballots"
    default_auto_field = "django.db.models.BigAutoField"
