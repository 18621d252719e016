"""Deployment checks (`kaohe check`, and before `kaohe migrate`): what makes production pages break."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

MANIFEST = "staticfiles.json"


def static_files_collected(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """In production the pages load CSS and htmx from STATIC_ROOT, filled by collectstatic."""
    if settings.DEBUG or (settings.STATIC_ROOT / MANIFEST).exists():
        return []
    return [
        checks.Warning(
            f"static files are not collected in {settings.STATIC_ROOT}: pages will fail",
            hint="run `kaohe collectstatic --noinput` after each install or upgrade",
            id="kaohe.W001",
        )
    ]


def register() -> None:
    """Register kaohe's checks (called once, from CoreConfig.ready)."""
    checks.register(static_files_collected, "kaohe")
