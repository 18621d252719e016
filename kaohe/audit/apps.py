"""Django app configuration."""

from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit app."""

    name = "kaohe.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"
