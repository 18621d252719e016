"""Who holds which role: the basics every app's permissions are built from."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from kaohe.accounts.models import Role, RoleKind

READ_ALL = {RoleKind.ASSESSMENT_OFFICE, RoleKind.LEADER, RoleKind.PARTY_GROUP}


DEPARTMENT_MEMBER = {RoleKind.DEPARTMENT_HEAD, RoleKind.DEPARTMENT_LIAISON}


def roles(user: Any) -> list[Role]:
    """The user's roles, loaded once per request object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_kaohe_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(user=user).select_related("department"))
        user._kaohe_roles = cached
    return cached


def has_role(user: Any, *kinds: str) -> bool:
    """Whether the user holds any of these roles."""
    return any(r.kind in kinds for r in roles(user))


def is_assessment_office(user: Any) -> bool:
    """考核办: reviews, decides ranges, resolves objections, manages years."""
    return has_role(user, RoleKind.ASSESSMENT_OFFICE)


def reads_everything(user: Any) -> bool:
    """The assessment office, leaders and the party group see every department."""
    return has_role(user, *READ_ALL)


def clerk_offices(user: Any) -> set[str]:
    """Offices the user records entries for."""
    return {r.office for r in roles(user) if r.kind == RoleKind.OFFICE_CLERK}


def member_department_ids(user: Any) -> set[int]:
    """Departments the user heads or is liaison of."""
    return {r.department_id for r in roles(user) if r.kind in DEPARTMENT_MEMBER and r.department_id}


def head_department_ids(user: Any) -> set[int]:
    """Departments the user heads."""
    return {
        r.department_id
        for r in roles(user)
        if r.kind == RoleKind.DEPARTMENT_HEAD and r.department_id
    }


def is_staff_user(user: Any) -> bool:
    """Whether the user has any role at all (may use the application)."""
    return bool(roles(user))


def require_role(user: Any) -> None:
    """Refuse users with no role."""
    if not is_staff_user(user):
        raise PermissionDenied


def require_importer(user: Any) -> None:
    """Refuse anyone but the command line (`kaohe import`, `kaohe demo`): a year is imported
    from a bundle by whoever holds the server, whose rows each app's import action writes."""
    if user is not None:
        raise PermissionDenied


def may_grant_roles(user: Any) -> bool:
    """Granting and revoking roles: the administrator, never the assessment office as such."""
    # The command line (`kaohe roles`, the demo) acts as None: whoever runs it holds the server.
    if user is None:
        return True
    # In the web application, an active superuser (the admin) only.
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))
