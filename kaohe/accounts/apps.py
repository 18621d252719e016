"""Django app configuration."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _superuser_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Django's login signal only calls the action that audits a superuser's login."""
    from kaohe.accounts.actions import superuser_login_record

    superuser_login_record(user=user)


class AccountsConfig(AppConfig):
    """The accounts app."""

    name = "kaohe.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_superuser_logged_in, dispatch_uid="kaohe_superuser_login")
