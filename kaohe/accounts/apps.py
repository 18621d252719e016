"""Django app configuration."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The accounts app."""

    name = "kaohe.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
