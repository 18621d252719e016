"""The core app: home page and shared templates."""

from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Home page and base layout."""

    name = "kaohe.core"
    label = "core"

    def ready(self) -> None:
        """Connect the database's file-mode guard and register the deployment checks."""
        from django.db.backends.signals import connection_created

        from kaohe.core import checks
        from kaohe.files import sqlite_private

        connection_created.connect(sqlite_private, dispatch_uid="kaohe.files.sqlite_private")
        checks.register()
