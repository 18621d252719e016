"""Django app configuration."""

from __future__ import annotations

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """What combines the apps: no models, its commands (import, export, demo) and pages."""

    name = "kaohe.assessment"
    label = "assessment"
