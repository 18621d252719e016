"""Reading the audit trail: the rows a filter asks for, a record's history, each row in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.audit.diff import Change, changes
from kaohe.audit.labels import field_label, value_text
from kaohe.audit.models import AuditEvent

# What a row keeps only to check it, not to read (a file's digest and size, the entry id).
HIDDEN_FIELDS = {"sha256", "size"}


@dataclass(frozen=True)
class EventRow:
    """One audit row as the audit page shows it."""

    event: AuditEvent
    action: str
    target: str
    changes: list[Change]


def action_label(code: str) -> str:
    """An action's name; a code no longer written (an old row's) as it is."""
    return str(AuditAction(code).label) if code in AuditAction.values else code


def target_label(code: str) -> str:
    """A target kind's name; an unknown code as it is."""
    return str(AuditTarget(code).label) if code in AuditTarget.values else code


def filtered_events(data: Mapping[str, Any]) -> QuerySet[AuditEvent]:
    """The rows the audit page's filter (its cleaned data) asks for, newest first."""
    events = AuditEvent.objects.select_related("actor")
    if data.get("department"):
        events = events.filter(department_code=data["department"].strip())
    if data.get("target_type"):
        events = events.filter(target_type=data["target_type"])
    if data.get("target_id"):
        events = events.filter(target_id=data["target_id"].strip())
    if data.get("action"):
        events = events.filter(action=data["action"])
    zone = timezone.get_current_timezone()
    if data.get("date_from"):
        events = events.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time(), zone))
    if data.get("date_to"):
        end = data["date_to"] + dt.timedelta(days=1)
        events = events.filter(at__lt=dt.datetime.combine(end, dt.time(), zone))
    return events


def target_events(target: AuditTarget, target_id: object) -> QuerySet[AuditEvent]:
    """A record's history: every row about it, with who wrote it."""
    found = AuditEvent.objects.filter(target_type=target, target_id=str(target_id))
    return found.select_related("actor")


def event_changes(event: AuditEvent) -> list[Change]:
    """What a row changed, in words."""
    return changes(
        event.before, event.after, wording=value_text, label=field_label, hidden=HIDDEN_FIELDS
    )


def event_rows(events: Iterable[AuditEvent]) -> list[EventRow]:
    """Audit rows in words: the action, the target's kind, the changes."""
    return [
        EventRow(e, action_label(e.action), target_label(e.target_type), event_changes(e))
        for e in events
    ]
