"""The core app: home page and shared templates."""

from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Home page and base layout."""

    name = "kaohe.core"
    label = "core"
