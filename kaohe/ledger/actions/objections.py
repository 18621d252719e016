"""A department head's objection to an entry, and the assessment office's decision."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.access import ledger as ledger_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.core.inputs import touch
from kaohe.db import refused_as
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.actions.entries import _attach, _audit, entry_checked, entry_snapshot, entry_void
from kaohe.ledger.evidence import CheckedFile
from kaohe.ledger.models import Entry, Objection, ObjectionStatus
from kaohe.ledger.validation import amount_problems


def objection_snapshot(o: Objection) -> dict[str, Any]:
    """The objection's values as the audit trail keeps them."""
    return {
        "entry": o.entry.ref,
        "reason": o.reason,
        "status": o.status,
        "resolution": o.resolution,
    }


@transaction.atomic
def objection_raise(
    *, by: Any, entry: Entry, reason: str, files: Sequence[CheckedFile] = ()
) -> Objection:
    """The department head objects to an entry against the department, with a reason and files."""
    entry = Entry.objects.select_for_update().select_related("year", "department").get(pk=entry.pk)
    if not ledger_access.may_object(by, entry):
        raise PermissionDenied
    already = _("This entry already has an objection awaiting a decision.")
    if ledger_access.has_open_objection(entry):
        raise ValidationError(already)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the objection.")]})
    with refused_as(already):
        objection = Objection.objects.create(entry=entry, raised_by=by, reason=reason.strip())
    for f in files:
        _attach(by, entry=None, objection=objection, checked=f)
    audit_record(
        by=by,
        action=AuditAction.OBJECTION_RAISE,
        target_type=AuditTarget.ENTRY,
        target_id=entry.pk,
        year=entry.year.year,
        department_code=entry.department.code,
        after=objection_snapshot(objection),
    )
    return objection


@transaction.atomic
def objection_resolve(
    *,
    by: Any,
    objection: Objection,
    uphold: bool,
    resolution: str,
    corrected_count: int | None = None,
    corrected_actual: int | None = None,
    corrected_amount: Decimal | None = None,
) -> Objection:
    """The assessment office upholds (voiding or correcting the entry) or rejects, with a reason.

    Nobody decides an objection they are a party to (ledger_access.is_party_to_objection).
    """
    objection = (
        Objection.objects.select_for_update()
        .select_related("entry__year", "entry__department")
        .get(pk=objection.pk)
    )
    if not ledger_access.may_resolve_objection(by, objection):
        raise ledger_access.objection_refusal(by, objection)
    if not resolution.strip():
        raise ValidationError({"resolution": [_("Explain the decision on the objection.")]})
    before = objection_snapshot(objection)
    if uphold:
        _uphold(
            by, objection.entry, resolution, corrected_count, corrected_actual, corrected_amount
        )
    objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.REJECTED
    objection.resolution, objection.resolved_by, objection.resolved_at = (
        resolution.strip(),
        by,
        timezone.now(),
    )
    objection.save()
    touch(objection.entry.year.year)  # an upheld objection corrects or voids its entry
    audit_record(
        by=by,
        action=AuditAction.OBJECTION_RESOLVE,
        target_type=AuditTarget.ENTRY,
        target_id=objection.entry.pk,
        year=objection.entry.year.year,
        department_code=objection.entry.department.code,
        before=before,
        after=objection_snapshot(objection),
    )
    return objection


def _uphold(
    by: Any,
    entry: Entry,
    resolution: str,
    count: int | None,
    actual: int | None,
    amount: Decimal | None,
) -> None:
    """An upheld objection corrects the entry where corrected values are given, else voids it."""
    if any(v is not None for v in (count, actual, amount)):
        _correct(by, entry, count, actual, amount, resolution)
    else:
        entry_void(
            by=by,
            entry=entry,
            reason=_("Objection upheld: %(why)s") % {"why": resolution.strip()},
        )


def _correct(
    by: Any, entry: Entry, count: int | None, actual: int | None, amount: Decimal | None, why: str
) -> None:
    """Correct an entry's count, actual count or decided amount after an upheld objection."""
    entry = Entry.objects.select_for_update().select_related("year", "department").get(pk=entry.pk)
    rule = entry.year.scheme.rules[entry.rule_id]
    before = entry_snapshot(entry)
    if rule.kind == RuleKind.RANGE and amount is not None:
        if errors := amount_problems(rule, amount):
            raise ValidationError({"corrected_amount": errors})
        entry.amount = amount
    if rule.kind == RuleKind.SHORTFALL and actual is not None:
        entry.actual = actual
    if rule.kind != RuleKind.SHORTFALL and count is not None:
        entry.count = count
    entry_checked(entry)
    entry.status_reason = _("Corrected after an objection: %(why)s") % {"why": why.strip()}
    entry.updated_at = timezone.now()
    entry.save()
    _audit(by, AuditAction.ENTRY_CORRECT, entry, before)
