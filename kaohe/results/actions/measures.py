"""The assessment office's adjustments and vetoes, with their files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.access import results as result_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.core.inputs import touch
from kaohe.engine.limits import MAX_ADJUSTMENT
from kaohe.ledger.evidence import CheckedFile
from kaohe.org.models import Department
from kaohe.results.models import Adjustment, Attachment, Veto
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


Measure = TypeVar("Measure", Adjustment, Veto)


def _measure_create(
    by: Any,
    model: type[Measure],
    *,
    year: Year,
    department: Department,
    files: Sequence[CheckedFile],
    audit: tuple[AuditAction, AuditTarget, Callable[[Measure], dict[str, Any]]],
    **values: Any,
) -> Measure:
    """Store an adjustment or a veto under the year's next reference, with its files, audited."""
    action, target, snapshot = audit
    series, field = ("adj", "adjustment") if model is Adjustment else ("veto", "veto")
    measure = model.objects.create(
        year=year,
        ref=reference_next(model=model, year=year, series=series),
        department=department,
        created_by=by,
        **values,
    )
    _attach(by, files, **{field: measure})
    touch(year.year)
    audit_record(
        by=by,
        action=action,
        target_type=target,
        target_id=measure.pk,
        year=year.year,
        department_code=department.code,
        after=snapshot(measure),
    )
    return measure


def _measure_delete(
    by: Any,
    measure: Measure,
    audit: tuple[AuditAction, AuditTarget, Callable[[Measure], dict[str, Any]]],
) -> None:
    """Delete an adjustment or a veto; the audit row keeps its values."""
    action, target, snapshot = audit
    before = snapshot(measure)
    pk, year = measure.pk, measure.year.year
    measure.delete()
    touch(year)
    audit_record(
        by=by,
        action=action,
        target_type=target,
        target_id=pk,
        year=year,
        department_code=before["department"],
        before=before,
    )


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
    if not result_access.may_record_results_inputs(by):
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
    audit = (AuditAction.ADJUSTMENT_RECORD, AuditTarget.ADJUSTMENT, adjustment_snapshot)
    return _measure_create(
        by,
        Adjustment,
        year=year,
        department=department,
        files=files,
        audit=audit,
        amount=amount,
        reason=reason.strip(),
        meeting=meeting.strip(),
    )


@transaction.atomic
def adjustment_remove(*, by: Any, adjustment: Adjustment) -> None:
    """The assessment office removes a wrongly recorded adjustment; the audit keeps its values."""
    if not result_access.may_record_results_inputs(by):
        raise PermissionDenied
    audit = (AuditAction.ADJUSTMENT_REMOVE, AuditTarget.ADJUSTMENT, adjustment_snapshot)
    _measure_delete(by, adjustment, audit)


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
    if not result_access.may_record_results_inputs(by):
        raise PermissionDenied
    _assessed(year, department)
    problems: dict[str, list[str]] = {}
    if reason not in year.scheme.veto_reasons:
        problems["reason"] = [_("Choose one of the veto reasons of the scheme.")]
    if not facts.strip():
        problems["facts"] = [_("State the facts of the veto.")]
    if problems:
        raise ValidationError(problems)
    audit = (AuditAction.VETO_RECORD, AuditTarget.VETO, veto_snapshot)
    return _measure_create(
        by,
        Veto,
        year=year,
        department=department,
        files=files,
        audit=audit,
        reason=reason,
        note=facts.strip(),
    )


@transaction.atomic
def veto_remove(*, by: Any, veto: Veto) -> None:
    """The assessment office removes a wrongly recorded veto; the audit keeps its values."""
    if not result_access.may_record_results_inputs(by):
        raise PermissionDenied
    _measure_delete(by, veto, (AuditAction.VETO_REMOVE, AuditTarget.VETO, veto_snapshot))
