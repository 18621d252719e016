"""The confirmed entries of a year imported from a bundle (kaohe/assessment/bundle_io.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from kaohe.access import roles as role_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.core.inputs import touch
from kaohe.ledger.models import Entry, EntryPerson, EntryStatus
from kaohe.org.models import Department, Person
from kaohe.years.models import Year


@dataclass(frozen=True)
class ImportedEntry:
    """A confirmed entry of an imported bundle, as the ledger stores it."""

    ref: str
    department: Department
    rule_id: str
    item: int
    category: str
    office: str
    period: str
    count: int | None
    amount: Decimal | None
    actual: int | None
    modifier: str
    same_work: str
    description: str
    decision_method: str
    decision_meeting: str
    persons: tuple[Person, ...]


@transaction.atomic
def entries_import(*, by: Any, year: Year, entries: Sequence[ImportedEntry]) -> list[Entry]:
    """The confirmed entries of an imported year (checked by the engine and bundle_limits
    beforehand), audited once as entries_import."""
    role_access.require_importer(by)
    created = []
    links: list[EntryPerson] = []
    for e in entries:
        entry = Entry.objects.create(
            year=year,
            ref=e.ref,
            department=e.department,
            rule_id=e.rule_id,
            item=e.item,
            category=e.category,
            office=e.office,
            period=e.period,
            count=e.count,
            amount=e.amount,
            actual=e.actual,
            modifier=e.modifier,
            same_work=e.same_work,
            description=e.description,
            status=EntryStatus.CONFIRMED,
            decision_method=e.decision_method,
            decision_meeting=e.decision_meeting,
            created_by=by,
        )
        # One name per person-time (bundle.md): a person named twice counts twice.
        links += (
            EntryPerson(entry=entry, person=p, times=n) for p, n in Counter(e.persons).items()
        )
        created.append(entry)
    EntryPerson.objects.bulk_create(links, batch_size=1000)
    touch(year.year)
    audit_record(
        by=by,
        action=AuditAction.ENTRIES_IMPORT,
        target_type=AuditTarget.YEAR,
        target_id=year.year,
        year=year.year,
        after={"entries": len(created)},
    )
    return created
