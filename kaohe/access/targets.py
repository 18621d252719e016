"""Who may draft, review, compile, approve and report on annual targets, and handle the
entries proposed from them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kaohe.access import ledger as ledger_access
from kaohe.access.roles import has_role, is_assessment_office, member_department_ids
from kaohe.accounts.models import RoleKind
from kaohe.org.models import Department
from kaohe.targets.models import Proposal, ProposalState, Target, TargetStatus
from kaohe.years.models import Year

EDITABLE = (TargetStatus.DRAFT, TargetStatus.RETURNED)
# The rules the proposals record (the 2016 scheme's item 1, seed §五.1).
REPORT_MISSED = "1.report_missed"
TARGET_UNMET = "1.target_unmet"


def supervised_department_ids(user: Any) -> set[int]:
    """Departments whose supervising leader (分管领导) the user is, as a leader."""
    if not has_role(user, RoleKind.LEADER):
        return set()
    return set(Department.objects.filter(supervising_leader=user).values_list("pk", flat=True))


def visible_targets(user: Any, year: Year) -> QuerySet[Target]:
    """The year's targets the user may see."""
    condition = Q(pk__in=[])
    # The assessment office sees every department's targets.
    if is_assessment_office(user):
        condition |= Q(pk__isnull=False)
    # A supervising leader sees the departments they supervise.
    condition |= Q(department_id__in=supervised_department_ids(user))
    # A department (head or liaison) sees its own.
    condition |= Q(department_id__in=member_department_ids(user))
    return Target.objects.filter(year=year).filter(condition)


def may_see_targets(user: Any) -> bool:
    """Whether the targets page has anything for the user (the menu asks it)."""
    # The office, leaders (the list shows those they supervise: no query for the menu),
    # department members.
    return (
        is_assessment_office(user)
        or has_role(user, RoleKind.LEADER)
        or bool(member_department_ids(user))
    )


def require_targets_page(user: Any) -> None:
    """Refuse the targets page to those it has nothing for."""
    if not may_see_targets(user):
        raise PermissionDenied


def target_for_user(user: Any, pk: int) -> Target:
    """A target the user may see, or 404."""
    target = Target.objects.select_related("year", "department").filter(pk=pk).first()
    if target is None or not visible_targets(user, target.year).filter(pk=pk).exists():
        raise Http404
    return target


def may_draft_target(user: Any, department: Department) -> bool:
    """The department's head or liaison drafts its targets."""
    return department.pk in member_department_ids(user)


def draftable_departments(user: Any) -> QuerySet[Department]:
    """The departments the user drafts targets for."""
    return Department.objects.filter(pk__in=member_department_ids(user))


def may_edit_target(user: Any, target: Target) -> bool:
    """The department changes (and submits) a draft or returned target."""
    # Only its own department.
    if not may_draft_target(user, target.department):
        return False
    # Only before the first review has passed it.
    return target.status in EDITABLE


def may_first_review(user: Any, target: Target) -> bool:
    """The department's supervising leader passes or returns a submitted target."""
    # Only the leader who supervises the department.
    if target.department_id not in supervised_department_ids(user):
        return False
    # Only a submitted target waits for them.
    return target.status == TargetStatus.SUBMITTED


def may_compile_targets(user: Any) -> bool:
    """The assessment office compiles the targets that passed their first review."""
    return is_assessment_office(user)


def may_record_approval(user: Any) -> bool:
    """The assessment office records the leading group's approval (meeting, date, number)."""
    return is_assessment_office(user)


def may_revise_target(user: Any, target: Target) -> bool:
    """The department revises an approved (locked) target, with a reason."""
    # Only its own department.
    if not may_draft_target(user, target.department):
        return False
    # Only an approved target: before approval it is simply edited.
    return target.status == TargetStatus.APPROVED


def may_report(user: Any, target: Target) -> bool:
    """The department reports on a target once a version of it was approved."""
    # Only its own department.
    if not may_draft_target(user, target.department):
        return False
    # Only a target the leading group approved (a revision under way keeps the old in force).
    return target.versions.exists()


def may_manage_supervision(user: Any) -> bool:
    """The assessment office sets the supervision system's periods and records its reports."""
    return is_assessment_office(user)


def may_propose(user: Any, year: Year) -> bool:
    """The command line (None), the assessment office or the office owning 1.report_missed
    (综合处) turns missing reports into proposed entries."""
    # The command line acts as the administrator.
    if user is None:
        return True
    # The assessment office.
    if is_assessment_office(user):
        return True
    # A clerk of an office that records the rule.
    rule = year.scheme.rules.get(REPORT_MISSED)
    return rule is not None and any(
        ledger_access.may_record(user, year, REPORT_MISSED, o) for o in rule.offices
    )


def proposals_for_user(user: Any, year: Year) -> QuerySet[Proposal]:
    """The proposals whose entries the user sees (their drafts are the recording office's)."""
    seen = ledger_access.visible_entries(user, year).values("pk")
    return Proposal.objects.filter(target__year=year, entry__in=seen)


def may_handle_proposal(user: Any, proposal: Proposal) -> bool:
    """The recording office's clerk confirms (submits) or discards a proposed entry."""
    # Only while it is proposed.
    if proposal.state != ProposalState.PROPOSED:
        return False
    # Whoever may edit the draft entry.
    return ledger_access.may_edit_entry(user, proposal.entry)


def proposal_for_user(user: Any, pk: int) -> Proposal:
    """A proposal whose entry the user sees, or 404."""
    proposal = Proposal.objects.select_related("target__year", "entry").filter(pk=pk).first()
    if proposal is None:
        raise Http404
    ledger_access.entry_for_user(user, proposal.entry_id)
    return proposal
