"""Who may read the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from kaohe.access.roles import is_assessment_office


def may_see_audit(user: Any) -> bool:
    """The audit trail: the assessment office only."""
    # Before/after values of every write, drafts included: the assessment office alone.
    return is_assessment_office(user)


def require_audit(user: Any) -> None:
    """Refuse the audit trail to anyone but the assessment office."""
    if not may_see_audit(user):
        raise PermissionDenied


def may_export_audit(user: Any) -> bool:
    """The audit trail as a workbook or CSV: whoever may read the whole trail."""
    # The export holds no more than the page shows, with every row's hash.
    return may_see_audit(user)


def require_audit_export(user: Any) -> None:
    """Refuse the export to anyone who may not read the whole trail."""
    if not may_export_audit(user):
        raise PermissionDenied
