"""Correcting a department's type once the year's rounds have opened (issue 10, point 1): the
preview of what changes, computed by the engine, and the recorded correction with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.access import years as year_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.ballots.models import Round
from kaohe.constants import DepartmentType
from kaohe.core.inputs import touch
from kaohe.engine.numbers import fmt2
from kaohe.results.selectors import latest_publication, live_year
from kaohe.years.models import Year, YearDepartment

MAX_REASON = 500


def types_locked(year: Year) -> bool:
    """Whether the year's department types are locked: once any of its rounds has opened."""
    # A round exists only once opened (there is no draft state), and it never un-opens.
    return Round.objects.filter(year=year).exists()


@dataclass(frozen=True)
class RoundChange:
    """What a round gives the department: the kind's points for its type, before and after."""

    title: str
    before: Fraction
    after: Fraction


@dataclass(frozen=True)
class TotalChange:
    """A department's live total and rank, before and after the correction."""

    code: str
    name: str
    before: Fraction
    after: Fraction
    rank_before: int
    rank_after: int


@dataclass(frozen=True)
class TypePreview:
    """What correcting a department's type changes, as the engine computes it."""

    department: YearDepartment
    new_type: str
    rounds: tuple[RoundChange, ...]
    totals: tuple[TotalChange, ...]
    published: bool

    @property
    def old_label(self) -> str:
        """The department's type now, in words."""
        return str(DepartmentType(self.department.type).label)

    @property
    def new_label(self) -> str:
        """The type it is corrected to, in words."""
        return str(DepartmentType(self.new_type).label)


def _round_changes(year: Year, old: str, new: str) -> tuple[RoundChange, ...]:
    """Each opened round of the year whose kind gives the old type other points than the new."""
    kinds = year.scheme.kinds
    return tuple(
        RoundChange(r.title or str(r), kinds[r.kind].points[old], kinds[r.kind].points[new])
        for r in Round.objects.filter(year=year).select_related("year").order_by("id")
        if r.kind in kinds and kinds[r.kind].points[old] != kinds[r.kind].points[new]
    )


def type_correction_preview(
    *, year: Year, department: YearDepartment, new_type: str
) -> TypePreview:
    """The live totals before and after the correction (both computed by the engine), and the
    rounds whose points for the department change."""
    if new_type == department.type:
        raise ValidationError(_("The department already has this type."))
    code = department.department.code
    before = live_year(year, trail=False).results
    after = live_year(year, trail=False, types={code: new_type}).results
    totals = tuple(
        TotalChange(
            d.code,
            d.name,
            d.total,
            after.get(d.code).total,
            d.rank,
            after.get(d.code).rank,
        )
        for d in before.departments
        if d.code == code or (d.total, d.rank) != (after.get(d.code).total, after.get(d.code).rank)
    )
    return TypePreview(
        department=department,
        new_type=new_type,
        rounds=_round_changes(year, department.type, new_type),
        totals=totals,
        published=latest_publication(year) is not None,
    )


@transaction.atomic
def department_type_correct(
    *, by: Any, year: Year, department: YearDepartment, new_type: str, reason: str
) -> TypePreview:
    """Correct a department's type after the year's rounds opened: recorded with its reason and
    the totals it changes. The live computation follows; published versions stay as they are."""
    if not year_access.may_correct_department_types(by):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the correction."))
    if len(reason) > MAX_REASON:
        raise ValidationError(_("The reason has at most %(n)d characters.") % {"n": MAX_REASON})
    Year.objects.select_for_update(no_key=True).filter(pk=year.pk).first()
    locked = YearDepartment.objects.select_for_update().select_related("department")
    row = locked.get(pk=department.pk, year=year)
    preview = type_correction_preview(year=year, department=row, new_type=new_type)
    old = row.type
    row.type = new_type
    row.save(update_fields=["type"])
    touch(year.year)
    audit_record(
        by=by,
        action=AuditAction.DEPARTMENT_TYPE_CORRECT,
        target_type=AuditTarget.YEAR,
        target_id=year.year,
        year=year.year,
        department_code=row.department.code,
        before={"type": old, "totals": {t.code: fmt2(t.before) for t in preview.totals}},
        after={
            "type": new_type,
            "reason": reason,
            "totals": {t.code: fmt2(t.after) for t in preview.totals},
        },
    )
    return preview
