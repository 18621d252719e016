"""Template context shared by every page: who is logged in, in which roles, and the year."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kaohe.access import roles as role_access
from kaohe.years.models import Year


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The user's roles (for the header) and the latest year (for the menu)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    roles = role_access.roles(user)
    return {
        "nav_roles": [str(r) for r in roles],
        "nav_year": Year.objects.order_by("-year").first() if roles else None,
        "nav_is_office": role_access.is_assessment_office(user),
        "nav_reads_all": role_access.reads_everything(user),
        "nav_clerk": bool(role_access.clerk_offices(user)),
        "nav_department_ids": sorted(role_access.member_department_ids(user)),
    }
