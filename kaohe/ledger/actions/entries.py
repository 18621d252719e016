"""Writes to one entry: record, update, the review's transitions, its evidence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
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
from kaohe.ledger.evidence import CheckedFile
from kaohe.ledger.models import DecisionMethod, Entry, EntryPerson, EntryStatus, Evidence, Objection
from kaohe.ledger.validation import (
    amount_problems,
    counts_persons,
    entry_problems,
    person_problems,
    slot_taken,
)
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
        "persons": [f"{p.name} ×{n}" for p, n in entry.person_times()] if entry.pk else [],
        "status": entry.status,
        "reason": entry.status_reason,
        "decision_method": entry.decision_method,
        "decision_meeting": entry.decision_meeting,
        **({"decision_votes": entry.decision_votes} if entry.decision_votes else {}),
    }


def _audit(by: Any, action: AuditAction, entry: Entry, before: dict[str, Any] | None) -> None:
    touch(entry.year.year)  # every step of an entry may change what counts
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


def _persons(department: Department, persons: Sequence[Person]) -> Counter[Person]:
    """Each person named, with how many times (a person named twice counts twice)."""
    if any(p.department_id != department.pk for p in persons):
        raise ValidationError({"persons": [_("Persons must be staff of the department.")]})
    return Counter(persons)


def entry_persons_set(entry: Entry, times: Counter[Person]) -> None:
    """The entry's persons, each with their times (in the order first named)."""
    EntryPerson.objects.filter(entry=entry).delete()
    EntryPerson.objects.bulk_create(
        EntryPerson(entry=entry, person=p, times=n) for p, n in times.items()
    )


def entry_checked(entry: Entry) -> None:
    """Refuse an entry whose fields, as set, break a rule of the ledger (validation.entry_problems)."""
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


def _entry_save(
    by: Any,
    entry: Entry,
    persons: Sequence[Person],
    files: Sequence[CheckedFile],
    audit: tuple[AuditAction, dict[str, Any] | None],
) -> Entry:
    """Check and save a recorded or changed entry, then its persons and files; audited. On a
    person-time rule the count is the sum of the persons' times (a person named n times)."""
    chosen = _persons(entry.department, persons)
    rule = entry.year.scheme.rules[entry.rule_id]
    if counts_persons(rule):
        entry.count = sum(chosen.values())
        if problems := person_problems(rule, entry.count, list(chosen.values())):
            raise ValidationError(problems)
    entry_checked(entry)
    with refused_as(slot_taken(rule)):  # a concurrent entry took the half-year meanwhile
        entry.save()
    entry_persons_set(entry, chosen)
    for f in files:
        _attach(by, entry=entry, objection=None, checked=f)
    _audit(by, audit[0], entry, audit[1])
    return entry


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
    count, actual = (None, actual) if rule.kind == RuleKind.SHORTFALL else (count, None)
    now = timezone.now()
    entry = Entry(
        year=year,
        # Taken first: the checks and the insert then run one recording at a time per year.
        ref=reference_next(model=Entry, year=year),
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
    return _entry_save(by, entry, persons, files, (AuditAction.ENTRY_RECORD, None))


@transaction.atomic
def entry_propose(
    *, by: Any, year: Year, department: Department, rule_id: str, period: str, description: str
) -> Entry:
    """A draft proposed by the system (a missing report, an unmet target) in the queue of the
    office that owns the rule; that office's clerk submits or discards it."""
    if not ledger_access.may_propose_entry(by, year, rule_id):
        raise PermissionDenied
    rule = year.scheme.rules[rule_id]
    now = timezone.now()
    entry = Entry(
        year=year,
        ref=reference_next(model=Entry, year=year),
        department=department,
        rule_id=rule_id,
        item=rule.item,
        category=rule.category,
        office=rule.offices[0],
        period=period,
        count=1,  # one missing report, one unmet target (a range rule: the amount is decided)
        description=description,
        status=EntryStatus.DRAFT,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    return _entry_save(by, entry, (), (), (AuditAction.ENTRY_PROPOSE, None))


@transaction.atomic
def entry_discard(*, by: Any, entry: Entry, reason: str) -> Entry:
    """The recording office discards its own draft (a proposal it does not take up): the
    entry is kept, voided with the reason."""
    locked = _locked(by, entry, ledger_access.may_discard_entry)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for discarding the entry.")]})
    return _transition(by, locked, AuditAction.ENTRY_DISCARD, EntryStatus.VOIDED, reason.strip())


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
    before = entry_snapshot(entry)
    entry.period, entry.count, entry.actual = period, count, actual
    entry.modifier, entry.same_work, entry.description = modifier, same_work.strip(), description
    if submit:
        entry.status, entry.status_reason = EntryStatus.SUBMITTED, ""
    entry.updated_at = timezone.now()
    return _entry_save(by, entry, persons, files, (AuditAction.ENTRY_UPDATE, before))


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
    _refuse_unnamed(locked)
    return _transition(by, locked, AuditAction.ENTRY_CONFIRM, EntryStatus.CONFIRMED)


def _refuse_unnamed(entry: Entry) -> None:
    """A person-time entry is confirmed only once it names its persons, their times its count
    (entries recorded before persons were required may name none)."""
    rule = entry.year.scheme.rules[entry.rule_id]
    times = [n for _p, n in entry.person_times()]
    if problems := person_problems(rule, entry.count, times):
        reason = problems["persons"][0]
        raise ValidationError(
            _(
                "This rule counts person-times, so the entry can be confirmed only once it names "
                "each person and how many times: %(reason)s Return it to the recording office "
                "to complete."
            )
            % {"reason": reason}
        )


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
    return entry_decided(by, locked, amount, method, meeting)


def entry_decided(
    by: Any,
    locked: Entry,
    amount: Decimal | None,
    method: str,
    meeting: str,
    votes: dict[str, Any] | None = None,
) -> Entry:
    """Record a locked range entry's decided amount, how and where (with a secret ballot's count,
    no names), and confirm it: the one decision path of entry_decide and range_vote_close."""
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
    locked.decision_votes = votes or {}
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
