"""Django app configuration."""

from __future__ import annotations

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """The ledger app."""

    name = "kaohe.ledger"
    label = "ledger"
    default_auto_field = "django.db.models.BigAutoField"
