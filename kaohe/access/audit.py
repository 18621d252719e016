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
