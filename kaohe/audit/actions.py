"""Writing audit rows; every action function calls `audit_record` inside its transaction."""

from __future__ import annotations

from typing import Any

from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.audit.models import AuditEvent


def audit_record(
    *,
    by: Any,
    action: AuditAction,
    target_type: AuditTarget,
    target_id: object,
    year: int | None = None,
    department_code: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record who did what to which object, with the values before and after."""
    actor = by if by is not None and by.is_authenticated else None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        year=year,
        department_code=department_code,
        before=before,
        after=after,
    )
