"""The assessment office's adjustments and vetoes, with their files."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe import access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.engine.limits import MAX_ADJUSTMENT
from kaohe.ledger.evidence import CheckedFile
from kaohe.org.models import Department
from kaohe.results.models import (
    Adjustment,
    Attachment,
    Veto,
)
from kaohe.years.counters import reference_next
from kaohe.years.models import Year

AMOUNT_PLACES = 4


# --- adjustments and vetoes ----------------------------------------------------------------


def _files(attachments: Any) -> list[dict[str, Any]]:
    return [{"file": a.original_name, "sha256": a.sha256} for a in attachments.all()]


def adjustment_snapshot(a: Adjustment) -> dict[str, Any]:
    """The adjustment's values as the audit trail keeps them."""
    return {
        "ref": a.ref,
        "department": a.department.code,
        "amount": str(a.amount.normalize()),
        "reason": a.reason,
        "meeting": a.meeting,
        "files": _files(a.attachments) if a.pk else [],
    }


def veto_snapshot(v: Veto) -> dict[str, Any]:
    """The veto's values as the audit trail keeps them."""
    return {
        "ref": v.ref,
        "department": v.department.code,
        "reason": v.reason,
        "facts": v.note,
        "files": _files(v.attachments) if v.pk else [],
    }


def _assessed(year: Year, department: Department) -> None:
    if not year.assessed.filter(department=department).exists():
        raise ValidationError(
            {"department": [_("This department is not assessed in %(year)s.") % {"year": year}]}
        )


def _attach(by: Any, files: Sequence[CheckedFile], **target: Any) -> None:
    for checked in files:
        Attachment.keep(checked, by=by, **target)


@transaction.atomic
def adjustment_record(
    *,
    by: Any,
    year: Year,
    department: Department,
    amount: Decimal,
    reason: str,
    meeting: str,
    files: Sequence[CheckedFile] = (),
) -> Adjustment:
    """The assessment office records a party-group adjustment (党组研究加减分) with its files."""
    if not access.may_record_results_inputs(by):
        raise PermissionDenied
    _assessed(year, department)
    problems: dict[str, list[str]] = {}
    if amount == 0 or amount.as_tuple().exponent < -AMOUNT_PLACES:  # type: ignore[operator]
        problems["amount"] = [_("Give a signed amount other than 0, at most 4 decimal places.")]
    if abs(amount) > int(MAX_ADJUSTMENT):
        problems["amount"] = [
            _("The amount must lie between -%(max)s and %(max)s points.")
            % {"max": int(MAX_ADJUSTMENT)}
        ]
    if not reason.strip():
        problems["reason"] = [_("Give the reason the party group decided.")]
    if not meeting.strip():
        problems["meeting"] = [_("Name the party group meeting that decided it.")]
    if problems:
        raise ValidationError(problems)
    adjustment = Adjustment.objects.create(
        year=year,
        ref=reference_next(model=Adjustment, year=year, series="adj"),
        department=department,
        amount=amount,
        reason=reason.strip(),
        meeting=meeting.strip(),
        created_by=by,
    )
    _attach(by, files, adjustment=adjustment)
    audit_record(
        by=by,
        action=AuditAction.ADJUSTMENT_RECORD,
        target_type=AuditTarget.ADJUSTMENT,
        target_id=adjustment.pk,
        year=year.year,
        department_code=department.code,
        after=adjustment_snapshot(adjustment),
    )
    return adjustment


@transaction.atomic
def adjustment_remove(*, by: Any, adjustment: Adjustment) -> None:
    """The assessment office removes a wrongly recorded adjustment; the audit keeps its values."""
    if not access.may_record_results_inputs(by):
        raise PermissionDenied
    before = adjustment_snapshot(adjustment)
    pk, year = adjustment.pk, adjustment.year.year
    adjustment.delete()
    audit_record(
        by=by,
        action=AuditAction.ADJUSTMENT_REMOVE,
        target_type=AuditTarget.ADJUSTMENT,
        target_id=pk,
        year=year,
        department_code=before["department"],
        before=before,
    )


@transaction.atomic
def veto_record(
    *,
    by: Any,
    year: Year,
    department: Department,
    reason: str,
    facts: str,
    files: Sequence[CheckedFile] = (),
) -> Veto:
    """The assessment office records a one-vote-veto event (一票否决) with the facts and files."""
    if not access.may_record_results_inputs(by):
        raise PermissionDenied
    _assessed(year, department)
    problems: dict[str, list[str]] = {}
    if reason not in year.scheme.veto_reasons:
        problems["reason"] = [_("Choose one of the veto reasons of the scheme.")]
    if not facts.strip():
        problems["facts"] = [_("State the facts of the veto.")]
    if problems:
        raise ValidationError(problems)
    veto = Veto.objects.create(
        year=year,
        ref=reference_next(model=Veto, year=year, series="veto"),
        department=department,
        reason=reason,
        note=facts.strip(),
        created_by=by,
    )
    _attach(by, files, veto=veto)
    audit_record(
        by=by,
        action=AuditAction.VETO_RECORD,
        target_type=AuditTarget.VETO,
        target_id=veto.pk,
        year=year.year,
        department_code=department.code,
        after=veto_snapshot(veto),
    )
    return veto


@transaction.atomic
def veto_remove(*, by: Any, veto: Veto) -> None:
    """The assessment office removes a wrongly recorded veto; the audit keeps its values."""
    if not access.may_record_results_inputs(by):
        raise PermissionDenied
    before = veto_snapshot(veto)
    pk, year = veto.pk, veto.year.year
    veto.delete()
    audit_record(
        by=by,
        action=AuditAction.VETO_REMOVE,
        target_type=AuditTarget.VETO,
        target_id=pk,
        year=year,
        department_code=before["department"],
        before=before,
    )
