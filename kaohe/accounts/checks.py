"""The accounts' start-up check (`kaohe check`, before `kaohe serve` and `migrate`): a
misspelt role in the environment's second-factor list would otherwise be ignored in silence."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def second_factor_roles_known(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every name in KAOHE_SECOND_FACTOR_ROLES is a role kind."""
    from kaohe.accounts.models import RoleKind

    unknown = sorted(set(settings.KAOHE_SECOND_FACTOR_ROLES) - set(RoleKind.values))
    if not unknown:
        return []
    return [
        checks.Error(
            f"KAOHE_SECOND_FACTOR_ROLES names unknown roles: {', '.join(unknown)}",
            hint=f"the role kinds are: {', '.join(RoleKind.values)}",
            id="kaohe.E101",
        )
    ]
