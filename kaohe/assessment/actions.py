"""The writes to a year that combine the apps: one function each, atomic, audited. Here, above
the apps, because creating a year reads last year's ranks and choosing its departments checks
their entries, adjustments and vetoes; the years app's own writes are in kaohe/years/actions.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kaohe.access import audit as audit_access
from kaohe.access import years as year_access
from kaohe.assessment.type_correction import types_locked
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.core.inputs import touch
from kaohe.db import refused_as
from kaohe.engine import parse_scheme
from kaohe.engine.limits import MAX_RANK, MAX_YEAR, MIN_YEAR
from kaohe.engine.problems import InvalidInput
from kaohe.ledger.models import Entry
from kaohe.org.models import Department
from kaohe.results.models import Adjustment, Veto
from kaohe.results.selectors import last_year_ranks
from kaohe.years.actions import scheme_source_document
from kaohe.years.models import Year, YearDepartment


def _active_in(year: int) -> Q:
    """Departments active in a year (open-ended where no bound is set)."""
    starts = Q(active_from__isnull=True) | Q(active_from__lte=year)
    ends = Q(active_to__isnull=True) | Q(active_to__gte=year)
    return starts & ends


@transaction.atomic
def year_create(*, by: Any, year: int, source: str) -> Year:
    """Create a year with a frozen copy of a scheme, assessing the departments active that year."""
    year_access.require_year_management(by)
    if not MIN_YEAR <= year <= MAX_YEAR:
        message = _("A year from %(min)s to %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        raise ValidationError({"year": [message]})
    exists = {"year": [_("Year %(year)s already exists.") % {"year": year}]}
    if Year.objects.filter(year=year).exists():
        raise ValidationError(exists)
    scheme_id, document = scheme_source_document(source)
    try:
        parse_scheme(document)
    except InvalidInput as exc:
        raise ValidationError({"source": [_("The chosen scheme is not valid.")]}) from exc
    with refused_as(exists):  # created at the same moment by another request
        created = Year.objects.create(
            year=year, scheme_id=scheme_id, scheme_document=document, created_by=by
        )
    _last, ranks = last_year_ranks(year, live=True)
    departments = list(Department.objects.filter(_active_in(year)))
    YearDepartment.objects.bulk_create(
        YearDepartment(year=created, department=d, type=d.type, previous_rank=ranks.get(d.code))
        for d in departments
    )
    touch(year)
    audit_record(
        by=by,
        action=AuditAction.YEAR_CREATE,
        target_type=AuditTarget.YEAR,
        target_id=year,
        year=year,
        after={
            "scheme": scheme_id,
            "source": source,
            "departments": sorted(d.code for d in departments),
        },
    )
    return created


@dataclass(frozen=True)
class AssessedRow:
    """One department's choice for a year: assessed or not, its type, last year's rank."""

    department: Department
    assessed: bool
    type: str
    previous_rank: int | None


def _assessed_snapshot(year: Year) -> dict[str, Any]:
    return {
        a.department.code: {"type": a.type, "previous_rank": a.previous_rank}
        for a in year.assessed.select_related("department")
    }


def _in_use(year: Year) -> set[int]:
    """Departments that have entries, adjustments or vetoes in the year: they must stay."""
    used = set(Entry.objects.filter(year=year).values_list("department_id", flat=True))
    used |= set(Adjustment.objects.filter(year=year).values_list("department_id", flat=True))
    used |= set(Veto.objects.filter(year=year).values_list("department_id", flat=True))
    return used


def _refuse_locked_types(
    year: Year, rows: Sequence[AssessedRow], existing: dict[int, YearDepartment]
) -> None:
    """Once a round of the year has opened, types change only by a recorded correction."""
    changed = [
        r.department
        for r in rows
        if r.assessed and r.department.pk in existing and existing[r.department.pk].type != r.type
    ]
    if changed and types_locked(year):
        names = "、".join(d.name for d in changed)
        raise ValidationError(
            _(
                "The year's rounds have opened, so department types are locked: %(names)s keep "
                "their type. To change a type, use the type correction, which shows what it "
                "changes and records a reason."
            )
            % {"names": names}
        )


@transaction.atomic
def year_departments_set(*, by: Any, year: Year, rows: Sequence[AssessedRow]) -> Year:
    """Choose the year's assessed departments, their types and last year's ranks."""
    year_access.require_year_management(by)
    # One change of the year's departments at a time (the second then sees the first's rows).
    Year.objects.select_for_update(no_key=True).filter(pk=year.pk).first()
    in_use = _in_use(year)
    kept_out = [r.department for r in rows if not r.assessed and r.department.pk in in_use]
    if kept_out:
        names = "、".join(d.name for d in kept_out)
        raise ValidationError(
            _("%(names)s already have records this year and must stay assessed.") % {"names": names}
        )
    if not any(r.assessed for r in rows):
        raise ValidationError(_("Choose at least one department to assess."))
    if any(r.previous_rank is not None and not 1 <= r.previous_rank <= MAX_RANK for r in rows):
        raise ValidationError(_("Last year's rank is from 1 to %(max)s.") % {"max": MAX_RANK})
    existing = {a.department_id: a for a in year.assessed.all()}
    _refuse_locked_types(year, rows, existing)
    before = _assessed_snapshot(year)
    for r in rows:
        current = existing.get(r.department.pk)
        if not r.assessed:
            if current is not None:
                current.delete()
            continue
        if current is None:
            current = YearDepartment(year=year, department=r.department)
        current.type, current.previous_rank = r.type, r.previous_rank
        current.save()
    touch(year.year)
    audit_record(
        by=by,
        action=AuditAction.YEAR_DEPARTMENTS_SET,
        target_type=AuditTarget.YEAR,
        target_id=year.year,
        year=year.year,
        before=before,
        after=_assessed_snapshot(year),
    )
    return year


@transaction.atomic
def audit_export_record(*, by: Any, kind: str, filters: dict[str, str], rows: int) -> None:
    """Record that the audit trail was exported (which format, which filters, how many rows):
    reading the whole trail is itself on the trail."""
    audit_access.require_audit_export(by)
    audit_record(
        by=by,
        action=AuditAction.AUDIT_EXPORT,
        target_type=AuditTarget.AUDIT_TRAIL,
        target_id=kind,
        after={"format": kind, "filters": filters, "rows": rows},
    )
