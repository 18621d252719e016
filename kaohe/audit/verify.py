"""Checking the audit trail as evidence: the chain of hashes and the database's guards."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from kaohe.audit.chain import Break, first_break
from kaohe.audit.guards import GUARDS
from kaohe.audit.models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainCheck:
    """What `kaohe audit verify` found: the rows walked, the first break, the missing guards."""

    rows: int
    broken: Break | None
    missing_guards: list[str]

    @property
    def holds(self) -> bool:
        """Whether the chain is intact and the guards are in place."""
        return self.broken is None and not self.missing_guards


def chain_check() -> ChainCheck:
    """Walk the whole trail in sequence order (a bounded number of rows in memory at a time)."""
    head = AuditChainHead.objects.filter(pk=1).values_list("sequence", "hash").first()
    events = AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000)
    rows, broken = first_break(events, head=head)
    return ChainCheck(rows, broken, GUARDS.missing(connection))
