"""Every change of a role: granted or revoked by the administrator, one function each, audited.

Roles decide who may do what (kaohe/access/), so granting one is not the assessment office's
work: only a superuser grants and revokes, in the admin or with `kaohe roles` on the server (the
command line passes `by=None`: whoever runs it holds the server already). Separation of duties
(三员分立) with an account page and administrator roles of its own is for a later issue.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.access import roles as role_access
from kaohe.accounts.models import OFFICE_NAMES, Role, RoleKind
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.db import refused_as

OFFICE_ROLES = {RoleKind.OFFICE_CLERK}
DEPARTMENT_ROLES = {RoleKind.DEPARTMENT_HEAD, RoleKind.DEPARTMENT_LIAISON}


def role_snapshot(role: Role) -> dict[str, Any]:
    """The role's values as the audit trail keeps them (the user by username)."""
    return {
        "user": role.user.username,
        "kind": role.kind,
        "office": role.office,
        "department": role.department.code if role.department else "",
    }


def role_problems(kind: str, office: str, department: Any) -> dict[str, list[str]]:
    """What is wrong with a role's scope, by field; empty when it is right."""
    if kind not in RoleKind.values:
        return {"kind": [_("Choose a role.")]}
    if kind in OFFICE_ROLES and office not in OFFICE_NAMES:
        return {"office": [_("A clerk's role names one of the responsible offices.")]}
    if kind not in OFFICE_ROLES and office:
        return {"office": [_("Only a clerk's role names an office.")]}
    if kind in DEPARTMENT_ROLES and department is None:
        return {"department": [_("A head's or liaison's role names the department.")]}
    if kind not in DEPARTMENT_ROLES and department is not None:
        return {"department": [_("Only a head's or liaison's role names a department.")]}
    return {}


def _audit(by: Any, action: AuditAction, role: Role, **values: Any) -> None:
    audit_record(
        by=by,
        action=action,
        target_type=AuditTarget.ROLE,
        target_id=role.user.username,
        department_code=role.department.code if role.department else "",
        **values,
    )


@transaction.atomic
def role_grant(*, by: Any, user: Any, kind: str, office: str = "", department: Any = None) -> Role:
    """Give a user a role (a clerk's names the office, a head's or liaison's the department)."""
    if not role_access.may_grant_roles(by):
        raise PermissionDenied
    if problems := role_problems(kind, office, department):
        raise ValidationError(problems)
    role = Role(user=user, kind=kind, office=office, department=department)
    if Role.objects.filter(user=user, kind=kind, office=office, department=department).exists():
        raise ValidationError(_("The user already holds this role."))
    with refused_as(_("The user already holds this role.")):
        role.save()
    _audit(by, AuditAction.ROLE_GRANT, role, after=role_snapshot(role))
    return role


@transaction.atomic
def role_revoke(*, by: Any, role: Role) -> None:
    """Take a role away from a user; the audit trail keeps what it was."""
    if not role_access.may_grant_roles(by):
        raise PermissionDenied
    locked = Role.objects.select_for_update(of=("self",)).select_related("user", "department")
    found = locked.filter(pk=role.pk).first()
    if found is None:
        raise ValidationError(_("This role has already been revoked."))
    before = role_snapshot(found)
    found.delete()
    _audit(by, AuditAction.ROLE_REVOKE, found, before=before)
