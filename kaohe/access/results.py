"""Who may see and decide the proposal, the published versions and their trails."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kaohe.access.roles import (
    has_role,
    is_assessment_office,
    is_staff_user,
    member_department_ids,
    reads_everything,
)
from kaohe.accounts.models import RoleKind
from kaohe.constants import PublicityAnswer
from kaohe.org.models import Department
from kaohe.results.models import Attachment, Circular, Publication, PublicityObjection


def may_see_proposal(user: Any) -> bool:
    """The unpublished proposal, adjustments and vetoes: readers of everything."""
    # Every department's unpublished figures: the office, leaders, the party group.
    return reads_everything(user)


def require_proposal(user: Any) -> None:
    """Refuse the proposal to anyone who does not read every department."""
    if not may_see_proposal(user):
        raise PermissionDenied


def may_see_live_results(user: Any, *, published: bool) -> bool:
    """The year computed live: the proposal before publication; after it, 当前计算(未发布)."""
    if not published:
        # Before publication the live computation is the proposal every reader of all sees.
        return may_see_proposal(user)
    # Once a version is published it is the one truth for everyone; the live computation is
    # the assessment office's working view (the party group sees it when confirming a correction).
    return is_assessment_office(user)


def require_live_results(user: Any, *, published: bool) -> None:
    """Refuse the live computation to anyone who may not see it (see may_see_live_results)."""
    if not may_see_live_results(user, published=published):
        raise PermissionDenied


def may_record_results_inputs(user: Any) -> bool:
    """Recording the party group's adjustments and the year's vetoes: the assessment office."""
    # The assessment office writes down what the party group decided (rules.md §2, §5).
    return is_assessment_office(user)


def may_confirm_results(user: Any) -> bool:
    """Confirming a proposal, which publishes it: a party group member (党组) only."""
    # rules.md §5.4: the party group confirms; not the office, not the leaders.
    return has_role(user, RoleKind.PARTY_GROUP)


def may_see_department_trail(user: Any, department_id: int) -> bool:
    """How a department's published figures came about, entry by entry."""
    # Readers of everything see every department's trail.
    if reads_everything(user):
        return True
    # A department's head (and its liaison) see their own department's.
    return department_id in member_department_ids(user)


def may_export_all_sheets(user: Any) -> bool:
    """Every department's score sheet in one PDF: whoever may see every department's sheet."""
    # may_see_department_trail for every department: readers of everything.
    return reads_everything(user)


def trail_department_codes(user: Any, publication: Publication) -> set[str] | None:
    """The departments of a published version whose trail the user may see (None: all of them)."""
    # Readers of everything see every trail, without a query.
    if reads_everything(user):
        return None
    # Anyone else, department by department (may_see_department_trail).
    codes = {d["code"] for d in publication.bundle["departments"]}
    mine = Department.objects.filter(code__in=codes).values_list("pk", "code")
    return {code for pk, code in mine if may_see_department_trail(user, pk)}


def may_export_workbook(user: Any) -> bool:
    """The workbook lists every entry of every department: readers of everything."""
    # Same audience as the ledger of all departments.
    return reads_everything(user)


def may_raise_publicity_objection(user: Any, publication: Publication, today: Any) -> bool:
    """Anyone with a role may object to a version while its publicity period runs (公示期)."""
    # Staff of the organ only.
    if not is_staff_user(user):
        return False
    # Only a version published with a publicity period,
    if publication.publicity_start is None or publication.publicity_end is None:
        return False
    # and only while it runs.
    return publication.publicity_start <= today <= publication.publicity_end


def may_answer_publicity_objection(user: Any, objection: PublicityObjection) -> bool:
    """Answering an objection raised in the publicity: the assessment office, once."""
    # The assessment office handles objections,
    if not is_assessment_office(user):
        return False
    # and answers each one once (a further objection is a new one).
    return objection.status == PublicityAnswer.OPEN


def publicity_objection_for_user(user: Any, year: Any, pk: Any) -> PublicityObjection:
    """An objection of the year, for those who see the objections; 404 for anyone else."""
    if not may_see_publicity_objections(user):
        raise Http404
    found = PublicityObjection.objects.filter(publication__year=year, pk=pk).first()
    if found is None:
        raise Http404
    return found


def may_see_publicity_objections(user: Any) -> bool:
    """Objections raised during publicity: the assessment office, and the party group deciding."""
    # The assessment office handles them.
    if is_assessment_office(user):
        return True
    # The party group decides whether a correction is published.
    return has_role(user, RoleKind.PARTY_GROUP)


def result_attachment_for_user(user: Any, pk: Any) -> Attachment:
    """A file of an adjustment or a veto: readers of everything; 404 for anyone else."""
    # Others must not learn that the file exists.
    if not may_see_proposal(user):
        raise Http404
    attachment = Attachment.objects.filter(pk=pk).first()
    # A guessed id is not found.
    if attachment is None:
        raise Http404
    return attachment


def may_compare_self_assessments(user: Any) -> bool:
    """Every department's self-assessment form beside its assessed scores, and all the forms
    exported at once: the assessment office, to whom the forms are submitted (seed §五.2)."""
    # The forms are reported to the assessment office, which weighs them against the ledger.
    return is_assessment_office(user)


def require_self_assessment_comparison(user: Any) -> None:
    """Refuse the comparison and the all-forms exports to anyone but the assessment office."""
    if not may_compare_self_assessments(user):
        raise PermissionDenied


# --- the half-year supervision circular (督查通报) -------------------------------------------


def may_draft_circular(user: Any) -> bool:
    """Drafting, editing, previewing and publishing a supervision circular: the assessment office."""
    # seed §七: 考核办公室建立督查通报制度, 每半年通报一次工作推进情况.
    return is_assessment_office(user)


def may_see_circulars(user: Any) -> bool:
    """The published circulars: everyone with a role in the assessment (the office, the
    responsible offices, the departments, the leaders and the party group)."""
    # A circular is sent to every department (委机关各部门); the three administrators run the
    # system, not the assessment, and see none.
    return is_staff_user(user)


def require_circular_drafter(user: Any) -> None:
    """Refuse the circular's drafts to anyone but the assessment office."""
    if not may_draft_circular(user):
        raise PermissionDenied


def published_circular_for_user(user: Any, year: Any, half: str) -> Circular:
    """A published circular of the year and half-year, for whoever sees circulars; 404 when
    none is published (a draft is not announced to anyone who may not edit it)."""
    if not may_see_circulars(user):
        raise PermissionDenied
    found = Circular.objects.filter(year=year, half=half).select_related("year").first()
    if found is None:
        raise Http404
    return found
