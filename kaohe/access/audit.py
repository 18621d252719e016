"""Who may read and export the audit trail, and which of its rows (三员分立).

The audit administrator reads every row and the login records (kaohe/access/accounts.py
`may_see_login_records`) and exports them. The assessment office reads the trail of the
assessment's records it works with (entries, years, schemes, departments, rounds, results…),
not the rows about accounts, roles, the security settings, backups or the trail's own exports,
nor the login records: those are the administrators' business, read by the audit administrator.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from kaohe.access.roles import is_assessment_office, is_audit_admin
from kaohe.audit.choices import AuditTarget
from kaohe.audit.models import AuditEvent

# The rows about running the system, not the assessment: the audit administrator's alone.
ADMINISTRATION_TARGETS = frozenset(
    {
        AuditTarget.USER,
        AuditTarget.ROLE,
        AuditTarget.SECURITY_POLICY,
        AuditTarget.BACKUP,
        AuditTarget.AUDIT_TRAIL,
    }
)


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


def hidden_audit_targets(user: Any) -> frozenset[str]:
    """The kinds of audit row the user may not read (of a trail they may read at all)."""
    # The audit administrator reads the whole trail.
    if is_audit_admin(user):
        return frozenset()
    # Anyone else who reads it (the assessment office) reads the assessment's rows only.
    return ADMINISTRATION_TARGETS


def audit_events_for(user: Any, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """The rows of `events` the user may read: the audit page and its exports ask this."""
    return events.exclude(target_type__in=hidden_audit_targets(user))


def require_audit(user: Any) -> None:
    """Refuse the audit trail to anyone who may not read it."""
    if not may_see_audit(user):
        raise PermissionDenied


def require_audit_export(user: Any) -> None:
    """Refuse the export to anyone but the audit administrator."""
    if not may_export_audit(user):
        raise PermissionDenied
