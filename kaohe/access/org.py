"""Who may manage the organisation: departments and their staff."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kaohe.access.roles import is_assessment_office, is_system_admin
from kaohe.org.models import Department


def may_manage_org(user: Any) -> bool:
    """Managing departments and their staff: the assessment office and the system administrator."""
    # The organisation's records are the assessment office's work,
    # and the system administrator's (三员分立: departments and staff are system setup).
    return is_assessment_office(user) or is_system_admin(user)


def require_org_management(user: Any) -> None:
    """Refuse the organisation's pages and actions to anyone who may not manage them."""
    if not may_manage_org(user):
        raise PermissionDenied


def org_department_for_user(user: Any, code: str) -> Department:
    """A department to manage, with its staff: for those who manage the organisation."""
    # Managing departments and staff is the assessment office's and the system administrator's.
    require_org_management(user)
    department = Department.objects.filter(code=code).first()
    # An unknown code is not found.
    if department is None:
        raise Http404
    return department
