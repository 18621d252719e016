"""The adjustments, vetoes and publications of a year imported from a bundle (kaohe/assessment/bundle_io.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from kaohe.access import roles as role_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.core.inputs import touch
from kaohe.org.models import Department
from kaohe.results.models import Adjustment, PartyDecisions, Veto
from kaohe.years.models import Year


@dataclass(frozen=True)
class ImportedAdjustment:
    """A party-group adjustment of an imported bundle."""

    ref: str
    department: Department
    amount: Decimal
    reason: str
    meeting: str


@dataclass(frozen=True)
class ImportedVeto:
    """A one-vote veto of an imported bundle."""

    ref: str
    department: Department
    reason: str
    note: str


@transaction.atomic
def results_import(
    *,
    by: Any,
    year: Year,
    adjustments: Sequence[ImportedAdjustment],
    vetoes: Sequence[ImportedVeto],
    decisions: dict[str, Any] | None,
) -> None:
    """An imported year's adjustments, vetoes and the party group's standing decisions (as if
    confirmed), audited once as results_import."""
    role_access.require_importer(by)
    for a in adjustments:
        Adjustment.objects.create(
            year=year,
            ref=a.ref,
            department=a.department,
            amount=a.amount,
            reason=a.reason,
            meeting=a.meeting,
            created_by=by,
        )
    for v in vetoes:
        Veto.objects.create(
            year=year,
            ref=v.ref,
            department=v.department,
            reason=v.reason,
            note=v.note,
            created_by=by,
        )
    if decisions is not None:
        PartyDecisions.objects.create(year=year, document=decisions)
    touch(year.year)
    audit_record(
        by=by,
        action=AuditAction.RESULTS_IMPORT,
        target_type=AuditTarget.YEAR,
        target_id=year.year,
        year=year.year,
        after={"adjustments": len(adjustments), "vetoes": len(vetoes), "decisions": decisions},
    )
