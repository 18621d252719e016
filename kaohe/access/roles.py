"""Who holds which role: the basics every app's permissions are built from."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from kaohe.accounts.models import Role, RoleKind

READ_ALL = {RoleKind.ASSESSMENT_OFFICE, RoleKind.LEADER, RoleKind.PARTY_GROUP}


DEPARTMENT_MEMBER = {RoleKind.DEPARTMENT_HEAD, RoleKind.DEPARTMENT_LIAISON}

# 三员分立: the administrators run the system, not the assessment (kaohe/access/accounts.py).
ADMINISTRATORS = {RoleKind.SYSTEM_ADMIN, RoleKind.SECURITY_ADMIN, RoleKind.AUDIT_ADMIN}


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
    """Whether the user takes part in the assessment: any role but an administrator's."""
    # An administrator's role gives the administrator's pages only, never the assessment's.
    return any(r.kind not in ADMINISTRATORS for r in roles(user))


def is_system_admin(user: Any) -> bool:
    """系统管理员: accounts, departments, staff, years' setup."""
    return _active(user) and has_role(user, RoleKind.SYSTEM_ADMIN)


def is_security_admin(user: Any) -> bool:
    """安全管理员: roles and (later) the security settings."""
    return _active(user) and has_role(user, RoleKind.SECURITY_ADMIN)


def is_audit_admin(user: Any) -> bool:
    """审计管理员: reads and exports the audit trail, changes nothing."""
    return _active(user) and has_role(user, RoleKind.AUDIT_ADMIN)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_active", False))


def require_role(user: Any) -> None:
    """Refuse users with no role."""
    if not is_staff_user(user):
        raise PermissionDenied


def require_importer(user: Any) -> None:
    """Refuse anyone but the command line (`kaohe import`, `kaohe demo`): a year is imported
    from a bundle by whoever holds the server, whose rows each app's import action writes."""
    if user is not None:
        raise PermissionDenied
