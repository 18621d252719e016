"""The audit trail's hash chain: each row's SHA-256 over its content and the row before's hash.

A row's `sequence` counts from 1 without gaps, its `previous_hash` is the hash of the row before
(empty for the first) and its `hash` the SHA-256 of its canonical content (`canonical`). Rows are
appended under a lock on the one-row chain head (AuditChainHead), which holds the last sequence
and hash, so concurrent writers take turns and the chain has one order. `kaohe audit verify`
recomputes every hash (`first_break`): a row changed, removed or inserted by raw SQL (after
dropping the database's triggers, kaohe/audit/guards.py) breaks the chain at that row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Bumped if the canonical content ever changes; part of what is hashed.
FORMAT = "kaohe-audit-1"


def timestamp(at: dt.datetime) -> str:
    """A row's time, in UTC to the microsecond, as the database keeps it."""
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(event: Any) -> bytes:
    """What a row's hash is taken over: every field that says what happened, as sorted JSON."""
    content = {
        "format": FORMAT,
        "sequence": event.sequence,
        "at": timestamp(event.at),
        "actor_id": event.actor_id,
        "actor": event.actor_name,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "year": event.year,
        "department_code": event.department_code,
        "before": event.before,
        "after": event.after,
        "previous_hash": event.previous_hash,
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def row_hash(event: Any) -> str:
    """The SHA-256 (hex) of a row's canonical content."""
    return hashlib.sha256(canonical(event)).hexdigest()


@dataclass(frozen=True)
class Break:
    """Where the chain first fails to hold, and why."""

    sequence: int
    event_id: int | None
    reason: str

    def text(self) -> str:
        """The break in one line, for `kaohe audit verify`."""
        row = f"row {self.sequence}" + (f" (id {self.event_id})" if self.event_id else "")
        return f"{row}: {self.reason}"


def first_break(events: Iterable[Any], *, head: tuple[int, str] | None) -> tuple[int, Break | None]:
    """Walk rows in sequence order: how many there are, and the first that breaks the chain.

    `head`: the chain head's (last sequence, last hash), None when there is no head row.
    """
    expected, previous, count = 1, "", 0
    for event in events:
        count += 1
        if event.sequence != expected:
            reason = f"expected sequence {expected}, found {event.sequence} (rows missing)"
            return count, Break(expected, event.id, reason)
        if event.previous_hash != previous:
            return count, Break(event.sequence, event.id, "previous hash does not match")
        if row_hash(event) != event.hash:
            return count, Break(event.sequence, event.id, "content does not match its hash")
        expected, previous = expected + 1, event.hash
    last = (expected - 1, previous)
    if head is not None and head != last:
        reason = f"chain head says row {head[0]}, the last row is {last[0]} (rows missing)"
        return count, Break(last[0] + 1, None, reason)
    return count, None
