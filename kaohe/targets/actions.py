"""Every write to the year's targets, their reports and the proposals made from them:
one function each, atomic, access checked first, audited."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.access import targets as access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.ledger import actions as ledger_actions
from kaohe.ledger.evidence import CheckedFile
from kaohe.ledger.models import Entry
from kaohe.org.models import Department
from kaohe.targets import selectors
from kaohe.targets.models import (
    HalfYearReport,
    Proposal,
    ProposalState,
    ReportEvidence,
    ReportPeriod,
    ReportStatus,
    ReviewStep,
    SupervisionPeriod,
    SupervisionReport,
    Target,
    TargetReview,
    TargetSource,
    TargetStatus,
    TargetVersion,
)
from kaohe.years.models import Year

TEXT_MAX = 2000  # a target's content, measure, comments: bounded like every text taken in
NAME_MAX = 50


@dataclass(frozen=True)
class TargetFields:
    """What a department writes of a target."""

    content: str
    measure: str
    due: datetime.date
    source: str
    in_supervision: bool
    responsible: str


def target_snapshot(target: Target) -> dict[str, Any]:
    """The target's values as the audit trail keeps them."""
    return {
        "department": target.department.code,
        "number": target.number,
        "content": target.content,
        "measure": target.measure,
        "due": target.due.isoformat(),
        "origin": target.source,
        "in_supervision": target.in_supervision,
        "responsible": target.responsible,
        "status": target.status,
        "revision": target.revision,
        "reason": target.reason,
        "comment": target.comment,
    }


def _audit(by: Any, action: AuditAction, target: Target, before: dict[str, Any] | None) -> None:
    audit_record(
        by=by,
        action=action,
        target_type=AuditTarget.TARGET,
        target_id=target.pk,
        year=target.year.year,
        department_code=target.department.code,
        before=before,
        after=target_snapshot(target),
    )


def _checked(fields: TargetFields, year: Year) -> TargetFields:
    """The fields stripped, or ValidationError naming each problem in Chinese."""
    problems: dict[str, list[str]] = {}
    content, measure, person = (
        fields.content.strip(),
        fields.measure.strip(),
        fields.responsible.strip(),
    )
    for name, value, limit in (
        ("content", content, TEXT_MAX),
        ("measure", measure, TEXT_MAX),
        ("responsible", person, NAME_MAX),
    ):
        if not value:
            problems[name] = [_("Fill in this field.")]
        elif len(value) > limit:
            problems[name] = [_("At most %(limit)s characters.") % {"limit": limit}]
    if fields.source not in TargetSource.values:
        problems["source"] = [_("Choose where the target comes from.")]
    if fields.due.year not in (year.year, year.year + 1):
        problems["due"] = [_("The target must be due within the year.")]
    if problems:
        raise ValidationError(problems)
    return TargetFields(content, measure, fields.due, fields.source, fields.in_supervision, person)


def _apply(target: Target, fields: TargetFields) -> None:
    target.content, target.measure, target.due = fields.content, fields.measure, fields.due
    target.source, target.in_supervision = fields.source, fields.in_supervision
    target.responsible = fields.responsible


def _step(by: Any, target: Target, step: ReviewStep, comment: str = "") -> None:
    TargetReview.objects.create(
        target=target, revision=target.revision, step=step, comment=comment, by=by
    )


def _locked(target: Target) -> Target:
    return Target.objects.select_for_update().select_related("year", "department").get(pk=target.pk)


@transaction.atomic
def target_draft(
    *, by: Any, year: Year, department: Department, fields: TargetFields, submit: bool = False
) -> Target:
    """The department's head or liaison drafts a target (and may submit it at once)."""
    if not access.may_draft_target(by, department):
        raise PermissionDenied
    checked = _checked(fields, year)
    last = Target.objects.select_for_update().filter(year=year, department=department)
    number = max((t.number for t in last), default=0) + 1
    target = Target(year=year, department=department, number=number, created_by=by)
    _apply(target, checked)
    target.save()
    _audit(by, AuditAction.TARGET_DRAFT, target, None)
    if submit:
        return target_submit(by=by, target=target)
    return target


@transaction.atomic
def target_update(*, by: Any, target: Target, fields: TargetFields) -> Target:
    """The department changes its draft or returned target (a revision included)."""
    locked = _locked(target)
    if not access.may_edit_target(by, locked):
        raise PermissionDenied
    before = target_snapshot(locked)
    _apply(locked, _checked(fields, locked.year))
    locked.updated_at = timezone.now()
    locked.save()
    _audit(by, AuditAction.TARGET_UPDATE, locked, before)
    return locked


@transaction.atomic
def target_submit(*, by: Any, target: Target) -> Target:
    """The department submits its target to the supervising leader."""
    locked = _locked(target)
    if not access.may_edit_target(by, locked):
        raise PermissionDenied
    if locked.department.supervising_leader_id is None:
        raise ValidationError(
            _(
                "The department has no supervising leader yet; ask the assessment office or "
                "the system administrator to set one."
            )
        )
    before = target_snapshot(locked)
    locked.status, locked.updated_at = TargetStatus.SUBMITTED, timezone.now()
    locked.save()
    _step(by, locked, ReviewStep.SUBMIT)
    _audit(by, AuditAction.TARGET_SUBMIT, locked, before)
    return locked


@transaction.atomic
def target_review(*, by: Any, target: Target, approve: bool, comment: str) -> Target:
    """The supervising leader passes the target or returns it with comments."""
    locked = _locked(target)
    if not access.may_first_review(by, locked):
        raise PermissionDenied
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": [_("Say why the target is returned.")]})
    if len(comment) > TEXT_MAX:
        raise ValidationError(
            {"comment": [_("At most %(limit)s characters.") % {"limit": TEXT_MAX}]}
        )
    before = target_snapshot(locked)
    locked.status = TargetStatus.REVIEWED if approve else TargetStatus.RETURNED
    locked.comment, locked.updated_at = comment, timezone.now()
    locked.save()
    _step(by, locked, ReviewStep.APPROVE if approve else ReviewStep.RETURN, comment)
    _audit(by, AuditAction.TARGET_REVIEW, locked, before)
    return locked


@transaction.atomic
def targets_compile(*, by: Any, year: Year) -> list[Target]:
    """The assessment office compiles every target that passed its first review (考核办汇总)."""
    if not access.may_compile_targets(by):
        raise PermissionDenied
    compiled = []
    for target in (
        Target.objects.select_for_update()
        .select_related("year", "department")
        .filter(year=year, status=TargetStatus.REVIEWED)
    ):
        before = target_snapshot(target)
        target.status, target.updated_at = TargetStatus.COMPILED, timezone.now()
        target.save()
        _step(by, target, ReviewStep.COMPILE)
        _audit(by, AuditAction.TARGETS_COMPILE, target, before)
        compiled.append(target)
    if not compiled:
        raise ValidationError(
            _("No target has passed its first review since the last compilation.")
        )
    return compiled


@transaction.atomic
def targets_approve(
    *, by: Any, year: Year, meeting: str, meeting_date: datetime.date, document_no: str
) -> list[Target]:
    """The leading group (考核领导小组) approves the compiled targets: each becomes a version in
    force, locked; the meeting, its date and the document number are recorded."""
    if not access.may_record_approval(by):
        raise PermissionDenied
    meeting, document_no = meeting.strip(), document_no.strip()
    problems: dict[str, list[str]] = {}
    if not meeting or len(meeting) > 200:
        problems["meeting"] = [_("Name the meeting (at most 200 characters).")]
    if not document_no or len(document_no) > 100:
        problems["document_no"] = [_("Give the document number (at most 100 characters).")]
    if problems:
        raise ValidationError(problems)
    approved = []
    for target in (
        Target.objects.select_for_update()
        .select_related("year", "department")
        .filter(year=year, status=TargetStatus.COMPILED)
    ):
        before = target_snapshot(target)
        TargetVersion.objects.create(
            target=target,
            revision=target.revision,
            content=target.content,
            measure=target.measure,
            due=target.due,
            source=target.source,
            in_supervision=target.in_supervision,
            responsible=target.responsible,
            reason=target.reason,
            meeting=meeting,
            meeting_date=meeting_date,
            document_no=document_no,
        )
        target.status, target.comment, target.updated_at = TargetStatus.APPROVED, "", timezone.now()
        target.save()
        _step(by, target, ReviewStep.LEADING_GROUP, f"{meeting} {meeting_date} {document_no}")
        _audit(by, AuditAction.TARGETS_APPROVE, target, before)
        approved.append(target)
    if not approved:
        raise ValidationError(_("No compiled target waits for the leading group's approval."))
    return approved


@transaction.atomic
def target_revise(*, by: Any, target: Target, fields: TargetFields, reason: str) -> Target:
    """The department revises an approved target with a reason; the revision goes through the
    same approvals, the approved version staying in force meanwhile."""
    locked = _locked(target)
    if not access.may_revise_target(by, locked):
        raise PermissionDenied
    reason = reason.strip()
    if not reason or len(reason) > TEXT_MAX:
        raise ValidationError({"reason": [_("Give the reason for the revision.")]})
    before = target_snapshot(locked)
    _apply(locked, _checked(fields, locked.year))
    locked.revision += 1
    locked.reason, locked.comment = reason, ""
    locked.status, locked.updated_at = TargetStatus.DRAFT, timezone.now()
    locked.save()
    _audit(by, AuditAction.TARGET_REVISE, locked, before)
    return locked


@transaction.atomic
def report_submit(
    *,
    by: Any,
    target: Target,
    period: str,
    status: str,
    done: str,
    files: Sequence[CheckedFile] = (),
) -> HalfYearReport:
    """The department reports on an approved target, at the half-year or year end; a second
    report for the same period replaces the text and adds its files."""
    locked = _locked(target)
    if not access.may_report(by, locked):
        raise PermissionDenied
    done = done.strip()
    problems: dict[str, list[str]] = {}
    if period not in ReportPeriod.values:
        problems["period"] = [_("Choose the half-year or the year-end report.")]
    if status not in ReportStatus.values:
        problems["status"] = [_("Choose how far the target is.")]
    if not done or len(done) > TEXT_MAX:
        problems["done"] = [
            _("Say what was done (at most %(limit)s characters).") % {"limit": TEXT_MAX}
        ]
    if problems:
        raise ValidationError(problems)
    report = HalfYearReport.objects.filter(target=locked, period=period).first()
    before = None if report is None else {"status": report.status, "done": report.done}
    if report is None:
        report = HalfYearReport(target=locked, period=period)
    report.status, report.done, report.submitted_by = status, done, by
    report.submitted_at = timezone.now()
    report.save()
    for f in files:
        ReportEvidence.keep(f, by=by, report=report)
    audit_record(
        by=by,
        action=AuditAction.REPORT_SUBMIT,
        target_type=AuditTarget.REPORT,
        target_id=report.pk,
        year=locked.year.year,
        department_code=locked.department.code,
        before=before,
        after={
            "target": locked.number,
            "period": period,
            "status": status,
            "done": done,
            "files": [f.name for f in files],
        },
    )
    return report


def monthly_periods(year: Year) -> list[tuple[str, datetime.date]]:
    """The default reporting periods: every month, due on its last day."""
    out = []
    for month in range(1, 13):
        first_next = datetime.date(year.year + month // 12, month % 12 + 1, 1)
        out.append((f"{year.year}-{month:02d}", first_next - datetime.timedelta(days=1)))
    return out


@transaction.atomic
def supervision_periods_set(
    *, by: Any, year: Year, periods: Sequence[tuple[str, datetime.date]] | None = None
) -> list[SupervisionPeriod]:
    """The assessment office sets the supervision system's reporting periods (monthly by
    default); periods that already have reports are kept."""
    if not access.may_manage_supervision(by):
        raise PermissionDenied
    wanted = list(periods) if periods is not None else monthly_periods(year)
    if not wanted or len(wanted) > 366:
        raise ValidationError(_("Give between one and 366 reporting periods."))
    keys = [k for k, _d in wanted]
    if len(set(keys)) != len(keys) or any(not k or len(k) > 16 for k in keys):
        raise ValidationError(_("Each period needs its own short name (at most 16 characters)."))
    SupervisionPeriod.objects.filter(year=year, reports__isnull=True).exclude(key__in=keys).delete()
    kept = []
    for key, deadline in wanted:
        period, _created = SupervisionPeriod.objects.update_or_create(
            year=year, key=key, defaults={"deadline": deadline}
        )
        kept.append(period)
    audit_record(
        by=by,
        action=AuditAction.SUPERVISION_PERIODS_SET,
        target_type=AuditTarget.SUPERVISION,
        target_id=year.year,
        year=year.year,
        after={"periods": [f"{k} {d.isoformat()}" for k, d in wanted]},
    )
    return kept


@dataclass(frozen=True)
class OnlineReport:
    """One online report made in the supervision system: which target, which period, when."""

    target: Target
    period: SupervisionPeriod
    reported_on: datetime.date


@transaction.atomic
def supervision_reports_record(*, by: Any, year: Year, reports: Sequence[OnlineReport]) -> int:
    """The assessment office records online reports (typed or imported); one already recorded
    is left as it is. Returns how many were new."""
    if not access.may_manage_supervision(by):
        raise PermissionDenied
    new = []
    for r in reports:
        if r.target.year_id != year.pk or r.period.year_id != year.pk:
            raise ValidationError(_("A report belongs to another year."))
        if not r.target.in_supervision:
            raise ValidationError(
                _("%(target)s is not in the supervision system.") % {"target": r.target.label}
            )
        _report, created = SupervisionReport.objects.get_or_create(
            target=r.target,
            period=r.period,
            defaults={"reported_on": r.reported_on, "recorded_by": by},
        )
        if created:
            new.append(f"{r.target.department.code}-{r.target.number} {r.period.key}")
    audit_record(
        by=by,
        action=AuditAction.SUPERVISION_REPORTS_RECORD,
        target_type=AuditTarget.SUPERVISION,
        target_id=year.year,
        year=year.year,
        after={"reports": new},
    )
    return len(new)


@transaction.atomic
def proposals_make(*, by: Any, year: Year, asof: datetime.date) -> list[Proposal]:
    """Every report missing after its deadline (selectors.missing_reports) and, once the year
    end report is due, every target not done: a proposed draft entry in the recording office's
    queue, once per target and period (running it again proposes nothing twice)."""
    if not access.may_propose(by, year):
        raise PermissionDenied
    made: list[Proposal] = []
    if access.REPORT_MISSED in year.scheme.rules:
        for missing in selectors.missing_reports(year, asof):
            made += _propose(
                by,
                year,
                missing.target,
                missing.key,
                access.REPORT_MISSED,
                missing.entry_period,
                missing.description(),
            )
    if access.TARGET_UNMET in year.scheme.rules:
        for unmet in selectors.unmet_targets(year, asof):
            made += _propose(
                by, year, unmet.target, "unmet", access.TARGET_UNMET, "year", unmet.description()
            )
    audit_record(
        by=by,
        action=AuditAction.PROPOSALS_MAKE,
        target_type=AuditTarget.YEAR,
        target_id=year.year,
        year=year.year,
        after={"asof": asof.isoformat(), "entries": [p.entry.ref for p in made]},
    )
    return made


def _propose(
    by: Any, year: Year, target: Target, key: str, rule_id: str, period: str, description: str
) -> list[Proposal]:
    # Once per target and key: proposal_once_per_key refuses a second one under concurrency.
    if Proposal.objects.filter(target=target, key=key).exists():
        return []
    entry = ledger_actions.entry_propose(
        by=by,
        year=year,
        department=target.department,
        rule_id=rule_id,
        period=period,
        description=description,
    )
    return [Proposal.objects.create(target=target, key=key, rule_id=rule_id, entry=entry)]


@transaction.atomic
def proposal_handle(*, by: Any, proposal: Proposal, accept: bool, reason: str = "") -> Proposal:
    """The recording office's clerk confirms a proposed entry (it is submitted for review) or
    discards it (the draft is voided with the reason, and never proposed again)."""
    locked = (
        Proposal.objects.select_for_update().select_related("entry", "target").get(pk=proposal.pk)
    )
    entry = Entry.objects.select_related("year", "department").get(pk=locked.entry_id)
    locked.entry = entry
    if not access.may_handle_proposal(by, locked):
        raise PermissionDenied
    if accept:
        ledger_actions.entry_submit(by=by, entry=entry)
        locked.state = ProposalState.SUBMITTED
    else:
        ledger_actions.entry_discard(by=by, entry=entry, reason=reason)
        locked.state = ProposalState.DISCARDED
    locked.save(update_fields=["state"])
    audit_record(
        by=by,
        action=AuditAction.PROPOSAL_HANDLE,
        target_type=AuditTarget.ENTRY,
        target_id=entry.pk,
        year=entry.year.year,
        department_code=entry.department.code,
        before={"state": ProposalState.PROPOSED},
        after={"state": locked.state, "reason": reason.strip()},
    )
    return locked
