"""Who may read and export the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from kaohe.access.roles import is_assessment_office, is_audit_admin


def may_see_audit(user: Any) -> bool:
    """The audit trail: the assessment office (its own work) and the audit administrator."""
    # Before/after values of every write, drafts included: the assessment office keeps its view.
    if is_assessment_office(user):
        return True
    # The audit administrator reads the whole trail (三员分立) and changes nothing.
    return is_audit_admin(user)


def may_export_audit(user: Any) -> bool:
    """Exporting the audit trail: the audit administrator alone."""
    # Taking the trail out of the system is the audit administrator's job, not the office's.
    return is_audit_admin(user)


def require_audit(user: Any) -> None:
    """Refuse the audit trail to anyone who may not read it."""
    if not may_see_audit(user):
        raise PermissionDenied


def require_audit_export(user: Any) -> None:
    """Refuse the export to anyone but the audit administrator."""
    if not may_export_audit(user):
        raise PermissionDenied
