"""Writing audit rows; every action function calls `audit_record` inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from kaohe.audit.chain import row_hash
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.audit.models import AuditChainHead, AuditEvent

HEAD = 1  # the chain head's id


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
    """Record who did what to which object, with the values before and after, chained to the
    row before by its hash (kaohe/audit/chain.py)."""
    actor = by if by is not None and by.is_authenticated else None
    # No savepoint: the caller's transaction holds the lock on the head until it commits, so the
    # next append waits for it and links to this row; a failure here fails that transaction.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        event = AuditEvent(
            sequence=head.sequence + 1,
            at=timezone.now(),
            actor=actor,
            actor_name=actor.get_username() if actor is not None else "",
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            year=year,
            department_code=department_code,
            before=before,
            after=after,
            previous_hash=head.hash,
        )
        event.hash = row_hash(event)
        event.save(force_insert=True)
        head.sequence, head.hash = event.sequence, event.hash
        head.save(update_fields=["sequence", "hash"])
    return event


def _locked_head() -> AuditChainHead:
    """The chain head, locked until the transaction ends (PostgreSQL: FOR UPDATE; SQLite writes
    one transaction at a time anyway); made from the last row when missing (an emptied database)."""
    heads = AuditChainHead.objects.select_for_update()
    head = heads.filter(pk=HEAD).first()
    if head is not None:
        return head
    last = AuditEvent.objects.order_by("-sequence").first()
    start = AuditChainHead(
        pk=HEAD, sequence=last.sequence if last else 0, hash=last.hash if last else ""
    )
    AuditChainHead.objects.bulk_create([start], ignore_conflicts=True)
    return heads.get(pk=HEAD)
