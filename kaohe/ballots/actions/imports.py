"""The closed rounds of a year imported from a bundle (kaohe/assessment/bundle_io.py)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from kaohe.access import roles as role_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.ballots.models import Ballot, Round, RoundStatus
from kaohe.core.inputs import touch
from kaohe.years.models import Year


@dataclass(frozen=True)
class ImportedBallot:
    """A ballot of an imported bundle: its round, its id, its voter group, its grades."""

    kind: str
    period: str
    id: uuid.UUID
    group: str
    grades: Mapping[str, str]


@transaction.atomic
def rounds_import(*, by: Any, year: Year, ballots: Sequence[ImportedBallot]) -> list[Round]:
    """The closed rounds of an imported year with their ballots, audited once as rounds_import."""
    role_access.require_importer(by)
    rounds: dict[tuple[str, str], Round] = {}
    for b in ballots:
        key = (b.kind, b.period)
        if key not in rounds:
            rounds[key] = Round.objects.create(
                year=year, kind=b.kind, period=b.period, status=RoundStatus.CLOSED
            )
        Ballot.objects.create(id=b.id, round=rounds[key], group=b.group, grades=dict(b.grades))
    touch(year.year)
    audit_record(
        by=by,
        action=AuditAction.ROUNDS_IMPORT,
        target_type=AuditTarget.YEAR,
        target_id=year.year,
        year=year.year,
        after={"rounds": len(rounds), "ballots": len(ballots)},
    )
    return list(rounds.values())
