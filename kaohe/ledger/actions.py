"""Every write to the ledger: one function each, atomic, audited."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.access import ledger as ledger_access
from kaohe.access import roles as role_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.db import refused_as
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.evidence import CheckedFile
from kaohe.ledger.models import (
    Batch,
    DecisionMethod,
    Entry,
    EntryStatus,
    Evidence,
    Objection,
    ObjectionStatus,
)
from kaohe.ledger.validation import amount_problems, entry_problems, slot_taken
from kaohe.org.models import Department, Person
from kaohe.years.counters import reference_next
from kaohe.years.models import Year


def entry_snapshot(entry: Entry) -> dict[str, Any]:
    """The entry's values as the audit trail keeps them."""
    return {
        "department": entry.department.code,
        "rule": entry.rule_id,
        "office": entry.office,
        "period": entry.period,
        "count": entry.count,
        "amount": None if entry.amount is None else str(entry.amount.normalize()),
        "actual": entry.actual,
        "modifier": entry.modifier,
        "same_work": entry.same_work,
        "description": entry.description,
        "persons": sorted(p.name for p in entry.persons.all()) if entry.pk else [],
        "status": entry.status,
        "reason": entry.status_reason,
        "decision_method": entry.decision_method,
        "decision_meeting": entry.decision_meeting,
    }


def _audit(by: Any, action: AuditAction, entry: Entry, before: dict[str, Any] | None) -> None:
    audit_record(
        by=by,
        action=action,
        target_type=AuditTarget.ENTRY,
        target_id=entry.pk,
        year=entry.year.year,
        department_code=entry.department.code,
        before=before,
        after=entry_snapshot(entry),
    )


def _persons(department: Department, persons: Iterable[Person]) -> list[Person]:
    chosen = list(persons)
    if any(p.department_id != department.pk for p in chosen):
        raise ValidationError({"persons": [_("Persons must be staff of the department.")]})
    return chosen


@transaction.atomic
def entry_record(
    *,
    by: Any,
    year: Year,
    department: Department,
    rule_id: str,
    office: str,
    period: str,
    count: int | None = None,
    actual: int | None = None,
    modifier: str = "",
    same_work: str = "",
    persons: Sequence[Person] = (),
    description: str = "",
    files: Sequence[CheckedFile] = (),
    submit: bool = False,
) -> Entry:
    """A clerk records an entry for a rule their office owns; a draft unless `submit`."""
    if not ledger_access.may_record(by, year, rule_id, office):
        raise PermissionDenied
    rule = year.scheme.rules[rule_id]
    if rule.kind == RuleKind.SHORTFALL:
        count = None
    else:
        actual = None
    # Taken first: the checks below and the insert then run one recording at a time per year.
    ref = reference_next(model=Entry, year=year)
    problems = entry_problems(
        year=year,
        department=department,
        rule_id=rule_id,
        period=period,
        count=count,
        actual=actual,
        modifier=modifier,
        same_work=same_work,
    )
    if problems:
        raise ValidationError(problems)
    chosen = _persons(department, persons)
    now = timezone.now()
    with refused_as(slot_taken(rule)):
        entry = Entry.objects.create(
            year=year,
            ref=ref,
            department=department,
            rule_id=rule_id,
            item=rule.item,
            category=rule.category,
            office=office,
            period=period,
            count=count,
            actual=actual,
            modifier=modifier,
            same_work=same_work.strip(),
            description=description,
            status=EntryStatus.SUBMITTED if submit else EntryStatus.DRAFT,
            created_by=by,
            created_at=now,
            updated_at=now,
        )
    entry.persons.set(chosen)
    for f in files:
        _attach(by, entry=entry, objection=None, checked=f)
    _audit(by, AuditAction.ENTRY_RECORD, entry, None)
    return entry


@transaction.atomic
def entry_update(
    *,
    by: Any,
    entry: Entry,
    period: str,
    count: int | None = None,
    actual: int | None = None,
    modifier: str = "",
    same_work: str = "",
    persons: Sequence[Person] = (),
    description: str = "",
    files: Sequence[CheckedFile] = (),
    submit: bool = False,
) -> Entry:
    """The recording clerk changes a draft or returned entry (and may submit it)."""
    entry = Entry.objects.select_for_update().select_related("year", "department").get(pk=entry.pk)
    if not ledger_access.may_edit_entry(by, entry):
        raise PermissionDenied
    rule = entry.year.scheme.rules[entry.rule_id]
    count, actual = (None, actual) if rule.kind == RuleKind.SHORTFALL else (count, None)
    problems = entry_problems(
        year=entry.year,
        department=entry.department,
        rule_id=entry.rule_id,
        period=period,
        count=count,
        actual=actual,
        modifier=modifier,
        same_work=same_work,
        exclude_pk=entry.pk,
    )
    if problems:
        raise ValidationError(problems)
    before = entry_snapshot(entry)
    entry.period, entry.count, entry.actual = period, count, actual
    entry.modifier, entry.same_work, entry.description = modifier, same_work.strip(), description
    if submit:
        entry.status, entry.status_reason = EntryStatus.SUBMITTED, ""
    entry.updated_at = timezone.now()
    with refused_as(slot_taken(rule)):  # a concurrent entry took the half-year meanwhile
        entry.save()
    entry.persons.set(_persons(entry.department, persons))
    for f in files:
        _attach(by, entry=entry, objection=None, checked=f)
    _audit(by, AuditAction.ENTRY_UPDATE, entry, before)
    return entry


def _locked(by: Any, entry: Entry, may: Callable[[Any, Entry], bool]) -> Entry:
    """The entry locked for the step, if its button's predicate allows it on the current row."""
    locked = Entry.objects.select_for_update().select_related("year", "department").get(pk=entry.pk)
    if not may(by, locked):
        raise ledger_access.refusal(by, locked)
    return locked


def _transition(by: Any, locked: Entry, action: AuditAction, to: str, reason: str = "") -> Entry:
    """Move a locked entry (see _locked) to its new status, with the audit row."""
    before = entry_snapshot(locked)
    locked.status, locked.status_reason, locked.updated_at = to, reason, timezone.now()
    locked.save(update_fields=["status", "status_reason", "updated_at"])
    _audit(by, action, locked, before)
    return locked


@transaction.atomic
def entry_submit(*, by: Any, entry: Entry) -> Entry:
    """The recording clerk submits a draft or returned entry for review."""
    if not ledger_access.may_submit_entry(by, entry):
        raise PermissionDenied
    locked = _locked(by, entry, ledger_access.may_submit_entry)
    return _transition(by, locked, AuditAction.ENTRY_SUBMIT, EntryStatus.SUBMITTED)


@transaction.atomic
def entry_confirm(*, by: Any, entry: Entry) -> Entry:
    """The assessment office confirms a submitted entry; a range entry needs its decision first."""
    locked = _locked(by, entry, ledger_access.may_confirm_entry)
    return _transition(by, locked, AuditAction.ENTRY_CONFIRM, EntryStatus.CONFIRMED)


@transaction.atomic
def entry_return(*, by: Any, entry: Entry, reason: str) -> Entry:
    """The assessment office returns a submitted entry to its clerk, with a reason."""
    locked = _locked(by, entry, ledger_access.may_return_entry)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for returning the entry.")]})
    return _transition(by, locked, AuditAction.ENTRY_RETURN, EntryStatus.RETURNED, reason.strip())


@transaction.atomic
def entry_decide(
    *, by: Any, entry: Entry, amount: Decimal | None, method: str, meeting: str
) -> Entry:
    """The assessment office decides a range entry's amount (and how, at which meeting); it is confirmed."""
    locked = _locked(by, entry, ledger_access.may_decide_entry)
    rule = locked.year.scheme.rules[locked.rule_id]
    problems: dict[str, list[str]] = {}
    if errors := amount_problems(rule, amount):
        problems["amount"] = errors
    if method not in DecisionMethod.values:
        problems["method"] = [_("Choose how the amount was decided.")]
    if not meeting.strip():
        problems["meeting"] = [_("Name the meeting that decided the amount.")]
    if problems:
        raise ValidationError(problems)
    before = entry_snapshot(locked)
    locked.amount, locked.decision_method, locked.decision_meeting = amount, method, meeting.strip()
    locked.status, locked.updated_at = EntryStatus.CONFIRMED, timezone.now()
    locked.save()
    _audit(by, AuditAction.ENTRY_DECIDE, locked, before)
    return locked


@transaction.atomic
def entry_void(*, by: Any, entry: Entry, reason: str) -> Entry:
    """The assessment office voids an entry, keeping it with the reason; nothing is deleted."""
    locked = _locked(by, entry, ledger_access.may_void_entry)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for voiding the entry.")]})
    return _transition(by, locked, AuditAction.ENTRY_VOID, EntryStatus.VOIDED, reason.strip())


def _attach(
    by: Any, *, entry: Entry | None, objection: Objection | None, checked: CheckedFile
) -> Evidence:
    evidence = Evidence.keep(checked, by=by, entry=entry, objection=objection)
    target = entry or (objection.entry if objection else None)
    assert target is not None
    audit_record(
        by=by,
        action=AuditAction.EVIDENCE_ATTACH,
        target_type=AuditTarget.ENTRY,
        target_id=target.pk,
        year=target.year.year,
        department_code=target.department.code,
        after={"file": evidence.original_name, "sha256": evidence.sha256, "size": evidence.size},
    )
    return evidence


@transaction.atomic
def evidence_attach(*, by: Any, entry: Entry, files: Sequence[CheckedFile]) -> list[Evidence]:
    """Add evidence to an entry: its clerk while editable, or the assessment office."""
    if not ledger_access.may_attach_evidence(by, entry):
        raise PermissionDenied
    return [_attach(by, entry=entry, objection=None, checked=f) for f in files]


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
    corrected = any(v is not None for v in (corrected_count, corrected_actual, corrected_amount))
    if uphold and corrected:
        _correct(
            by, objection.entry, corrected_count, corrected_actual, corrected_amount, resolution
        )
    elif uphold:
        entry_void(
            by=by,
            entry=objection.entry,
            reason=_("Objection upheld: %(why)s") % {"why": resolution.strip()},
        )
    objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.REJECTED
    objection.resolution, objection.resolved_by, objection.resolved_at = (
        resolution.strip(),
        by,
        timezone.now(),
    )
    objection.save()
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
    problems = entry_problems(
        year=entry.year,
        department=entry.department,
        rule_id=entry.rule_id,
        period=entry.period,
        count=entry.count,
        actual=entry.actual,
        modifier=entry.modifier,
        same_work=entry.same_work,
        exclude_pk=entry.pk,
    )
    if problems:
        raise ValidationError(problems)
    entry.status_reason = _("Corrected after an objection: %(why)s") % {"why": why.strip()}
    entry.updated_at = timezone.now()
    entry.save()
    _audit(by, AuditAction.ENTRY_CORRECT, entry, before)


# --- batch import --------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchRow:
    """One row of a batch file, read but not yet checked; `line` is its row number in the file."""

    line: int
    department: str
    rule_id: str
    period: str
    count: int | None = None
    actual: int | None = None
    modifier: str = ""
    same_work: str = ""
    persons: tuple[str, ...] = ()
    description: str = ""


class BatchInvalid(Exception):
    """Rows of a batch that cannot be recorded: line → field → messages. Nothing was saved."""

    def __init__(self, problems: dict[int, dict[str, list[str]]]) -> None:
        super().__init__(problems)
        self.problems = problems


@transaction.atomic
def entries_batch_record(
    *,
    by: Any,
    year: Year,
    office: str,
    rows: Sequence[BatchRow],
    batch_id: str,
    file_name: str = "",
    file_sha256: str = "",
    submit: bool = False,
    dry_run: bool = False,
) -> list[Entry]:
    """Record a batch of entries for one office, all or nothing, each through `entry_record`.

    Every row is tried, so that BatchInvalid names every row's problems at once; with `dry_run`
    the rows are checked the same way (rows of the same file included) and then rolled back.
    """
    if office not in ledger_access.record_offices(by, year):
        raise PermissionDenied
    if not rows:
        raise ValidationError(_("The file holds no entries."))
    batch = None
    if not dry_run:
        with refused_as(_("This batch has already been saved.")):  # the same check posted again
            batch = Batch.objects.create(
                id=batch_id,
                year=year,
                office=office,
                file_name=file_name[:255],
                sha256=file_sha256,
                submitted=submit,
                created_by=by,
            )
    departments = {d.code: d for d in Department.objects.filter(years__year=year)}
    entries: list[Entry] = []
    problems: dict[int, dict[str, list[str]]] = {}
    for row in rows:
        try:
            with transaction.atomic():
                entries.append(_batch_row(by, year, office, row, departments, submit))
        except ValidationError as error:
            problems[row.line] = _problem_dict(error)
        except PermissionDenied:
            problems[row.line] = {"rule_id": [_("Your office does not record this rule.")]}
    if problems:
        raise BatchInvalid(problems)
    if batch is None:
        transaction.set_rollback(True)
        return entries
    batch.entry_count = len(entries)
    batch.save(update_fields=["entry_count"])
    audit_record(
        by=by,
        action=AuditAction.ENTRIES_BATCH_RECORD,
        target_type=AuditTarget.BATCH,
        target_id=batch_id,
        year=year.year,
        after={
            "office": office,
            "file": file_name,
            "sha256": file_sha256,
            "submitted": submit,
            "entries": [e.ref for e in entries],
        },
    )
    return entries


def _batch_row(
    by: Any,
    year: Year,
    office: str,
    row: BatchRow,
    departments: dict[str, Department],
    submit: bool,
) -> Entry:
    department = departments.get(row.department)
    if department is None:
        raise ValidationError(
            {
                "department": [
                    _("No department %(code)s is assessed this year.") % {"code": row.department}
                ]
            }
        )
    staff = {p.name: p for p in Person.objects.filter(department=department, name__in=row.persons)}
    unknown = [name for name in row.persons if name not in staff]
    if unknown:
        raise ValidationError(
            {
                "persons": [
                    _("Not on the department's staff: %(names)s.") % {"names": "、".join(unknown)}
                ]
            }
        )
    return entry_record(
        by=by,
        year=year,
        department=department,
        rule_id=row.rule_id,
        office=office,
        period=row.period,
        count=row.count,
        actual=row.actual,
        modifier=row.modifier,
        same_work=row.same_work,
        persons=[staff[name] for name in row.persons],
        description=row.description,
        submit=submit,
    )


def _problem_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {"__all__": list(error.messages)}


# --- import of a year from a bundle (kaohe/assessment/bundle_io.py) -------------------------


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
        if e.persons:
            entry.persons.set(e.persons)
        created.append(entry)
    audit_record(
        by=by,
        action=AuditAction.ENTRIES_IMPORT,
        target_type=AuditTarget.YEAR,
        target_id=year.year,
        year=year.year,
        after={"entries": len(created)},
    )
    return created
