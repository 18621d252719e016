"""Every permission decision, in one place.

Views call these first. Records a user may not see raise Http404, so that their existence does
not leak; actions a user may not take raise PermissionDenied.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kaohe.accounts.models import Role, RoleKind
from kaohe.ballots.models import BallotCode, Round, RoundStatus
from kaohe.engine.scheme import Rule
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.models import Entry, EntryStatus, Evidence, Objection, ObjectionStatus
from kaohe.org.models import Department
from kaohe.results.models import Attachment, Publication
from kaohe.years.models import SchemeDocument, Year, YearDepartment

READ_ALL = {RoleKind.ASSESSMENT_OFFICE, RoleKind.LEADER, RoleKind.PARTY_GROUP}
DEPARTMENT_MEMBER = {RoleKind.DEPARTMENT_HEAD, RoleKind.DEPARTMENT_LIAISON}
# What a department sees of the entries against it: not the clerks' unfinished drafts.
DEPARTMENT_VISIBLE = [EntryStatus.SUBMITTED, EntryStatus.CONFIRMED, EntryStatus.VOIDED]


def roles(user: Any) -> list[Role]:
    """The user's roles, loaded once per request object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_kaohe_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(user=user).select_related("department"))
        user._kaohe_roles = cached
    return cached


def has_role(user: Any, *kinds: str) -> bool:
    """Whether the user holds any of these roles."""
    return any(r.kind in kinds for r in roles(user))


def is_assessment_office(user: Any) -> bool:
    """考核办: reviews, decides ranges, resolves objections, manages years."""
    return has_role(user, RoleKind.ASSESSMENT_OFFICE)


def reads_everything(user: Any) -> bool:
    """The assessment office, leaders and the party group see every department."""
    return has_role(user, *READ_ALL)


def clerk_offices(user: Any) -> set[str]:
    """Offices the user records entries for."""
    return {r.office for r in roles(user) if r.kind == RoleKind.OFFICE_CLERK}


def member_department_ids(user: Any) -> set[int]:
    """Departments the user heads or is liaison of."""
    return {r.department_id for r in roles(user) if r.kind in DEPARTMENT_MEMBER and r.department_id}


def head_department_ids(user: Any) -> set[int]:
    """Departments the user heads."""
    return {
        r.department_id
        for r in roles(user)
        if r.kind == RoleKind.DEPARTMENT_HEAD and r.department_id
    }


def is_staff_user(user: Any) -> bool:
    """Whether the user has any role at all (may use the application)."""
    return bool(roles(user))


def require_role(user: Any) -> None:
    """Refuse users with no role."""
    if not is_staff_user(user):
        raise PermissionDenied


def require_importer(user: Any) -> None:
    """Refuse anyone but the command line (`kaohe import`, `kaohe demo`): a year is imported
    from a bundle by whoever holds the server, whose rows each app's import action writes."""
    if user is not None:
        raise PermissionDenied


def may_grant_roles(user: Any) -> bool:
    """Granting and revoking roles: the administrator, never the assessment office as such."""
    # The command line (`kaohe roles`, the demo) acts as None: whoever runs it holds the server.
    if user is None:
        return True
    # In the web application, an active superuser (the admin) only.
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


def require_assessment_office(user: Any) -> None:
    """Refuse anyone but the assessment office."""
    if not is_assessment_office(user):
        raise PermissionDenied


# --- rules and entries ---------------------------------------------------------------------


def recordable_rules(user: Any, year: Year) -> list[Rule]:
    """Rules the user may record: those whose offices, in this year's scheme, include theirs."""
    offices = clerk_offices(user)
    return [r for r in year.scheme.rules.values() if offices & set(r.offices)]


def may_record(user: Any, year: Year, rule_id: str, office: str) -> bool:
    """A clerk records for one of their offices, and only rules that office owns this year."""
    rule = year.scheme.rules.get(rule_id)
    return rule is not None and office in clerk_offices(user) and office in rule.offices


def visible_entries(user: Any, year: Year) -> QuerySet[Entry]:
    """Entries of the year the user may see."""
    qs = Entry.objects.filter(year=year)
    if reads_everything(user):
        return qs
    condition = Q(pk__in=[])
    # A clerk sees the entries their office recorded.
    offices = clerk_offices(user)
    if offices:
        condition |= Q(office__in=offices)
    # A department sees what is recorded against it, once submitted.
    departments = member_department_ids(user)
    if departments:
        condition |= Q(department_id__in=departments, status__in=DEPARTMENT_VISIBLE)
    return qs.filter(condition)


def entry_for_user(user: Any, pk: int, *, write: bool = False) -> Entry:
    """An entry the user may see (404 otherwise); with write, one they may edit."""
    entry = Entry.objects.select_related("year", "department").filter(pk=pk).first()
    if entry is None or not visible_entries(user, entry.year).filter(pk=pk).exists():
        raise Http404
    if write and not may_edit_entry(user, entry):
        raise PermissionDenied
    return entry


def may_edit_entry(user: Any, entry: Entry) -> bool:
    """The recording office's clerk edits a draft or a returned entry, while it still owns the rule."""
    editable = entry.status in (EntryStatus.DRAFT, EntryStatus.RETURNED)
    return editable and may_record(user, entry.year, entry.rule_id, entry.office)


def may_review(user: Any) -> bool:
    """Confirming, returning, deciding ranges, voiding: the assessment office."""
    return is_assessment_office(user)


def may_object(user: Any, entry: Entry) -> bool:
    """The department's head objects to a submitted or confirmed entry (one objection at a time)."""
    # Only the head of the department the entry is against.
    if entry.department_id not in head_department_ids(user):
        return False
    # Only entries on their way to the score; drafts, returned and voided ones are not.
    return entry.status in (EntryStatus.SUBMITTED, EntryStatus.CONFIRMED)


def has_open_objection(entry: Entry) -> bool:
    """Whether an objection to the entry awaits a decision (then no second one is raised)."""
    return entry.objections.filter(status=ObjectionStatus.OPEN).exists()


def objection_for_user(user: Any, pk: int) -> Objection:
    """An objection the user may see: the office, readers of everything, the department itself."""
    objection = (
        Objection.objects.select_related("entry__year", "entry__department").filter(pk=pk).first()
    )
    if objection is None:
        raise Http404
    entry_for_user(user, objection.entry_id)
    return objection


def evidence_for_user(user: Any, pk: Any) -> Evidence:
    """An evidence file, only for those who may see its entry (404 for a guessed id)."""
    evidence = Evidence.objects.filter(pk=pk).first()
    if evidence is None:
        raise Http404
    objection = evidence.objection
    entry_id = evidence.entry_id or (objection.entry_id if objection is not None else None)
    if entry_id is None:
        raise Http404
    entry_for_user(user, entry_id)
    return evidence


# --- ledger pages ----------------------------------------------------------------------------


def record_offices(user: Any, year: Year) -> list[str]:
    """The user's offices that own at least one rule of the year's scheme, in the scheme's order."""
    # A clerk records only for an office they hold a clerk role in.
    mine = clerk_offices(user)
    # An office records only the rules it owns this year; an office owning none records nothing.
    owning = {office for rule in year.scheme.rules.values() for office in rule.offices}
    return [code for code in year.scheme.offices if code in mine and code in owning]


def require_recorder(user: Any, year: Year) -> list[str]:
    """Refuse anyone who records no rule of the year; else their recording offices."""
    offices = record_offices(user, year)
    # Recording pages, batch import and the form helpers are for recording clerks only.
    if not offices:
        raise PermissionDenied
    return offices


def department_staff_for_user(user: Any, year: Year, code: str) -> Department | None:
    """A department assessed in the year whose staff a recording clerk may list; None if unknown."""
    # Only those who record name persons in entries.
    require_recorder(user, year)
    # Only departments assessed in the year.
    return Department.objects.filter(code=code, years__year=year).first()


def may_submit_entry(user: Any, entry: Entry) -> bool:
    """The recording clerk submits a draft or returned entry."""
    # The same person and states as editing.
    return may_edit_entry(user, entry)


def may_confirm_entry(user: Any, entry: Entry) -> bool:
    """The assessment office confirms a submitted entry with a fixed amount."""
    # Only the assessment office reviews.
    if not may_review(user):
        return False
    # Only submitted entries wait for confirmation.
    if entry.status != EntryStatus.SUBMITTED:
        return False
    # A range entry is confirmed by deciding its amount instead.
    rule = entry.year.scheme.rules.get(entry.rule_id)
    return rule is not None and rule.kind != RuleKind.RANGE


def may_return_entry(user: Any, entry: Entry) -> bool:
    """The assessment office returns a submitted entry to its office."""
    # Only the assessment office reviews, and only what is submitted.
    return may_review(user) and entry.status == EntryStatus.SUBMITTED


def may_decide_entry(user: Any, entry: Entry) -> bool:
    """The assessment office decides (or re-decides) a submitted or confirmed range entry."""
    # Only the assessment office decides ranges.
    if not may_review(user):
        return False
    # Only range rules have an amount to decide.
    rule = entry.year.scheme.rules.get(entry.rule_id)
    if rule is None or rule.kind != RuleKind.RANGE:
        return False
    # Drafts and returned entries are still the clerk's; voided ones are closed.
    return entry.status in (EntryStatus.SUBMITTED, EntryStatus.CONFIRMED)


def may_void_entry(user: Any, entry: Entry) -> bool:
    """The assessment office voids any entry not already voided."""
    # Only the assessment office voids, and an entry is voided once.
    return may_review(user) and entry.status != EntryStatus.VOIDED


def may_resolve_objection(user: Any, objection: Objection) -> bool:
    """The assessment office decides an open objection, unless it is a party to it."""
    # Only the assessment office resolves, and only what is still open.
    if not (may_review(user) and objection.status == ObjectionStatus.OPEN):
        return False
    # Nobody decides an objection they raised (a head may also sit in the assessment office).
    return not is_party_to_objection(user, objection)


def is_party_to_objection(user: Any, objection: Objection) -> bool:
    """Whether the user raised the objection or belongs to the department it is for (回避)."""
    # The one who raised it.
    if objection.raised_by_id == user.pk:
        return True
    # The department's own head or liaison, who speak for the side that objects.
    return objection.entry.department_id in member_department_ids(user)


def may_see_entry_history(user: Any) -> bool:
    """An entry's audit history (drafts and before/after values) is for the assessment office."""
    # The trail names clerks and shows unsubmitted values: the assessment office alone.
    return is_assessment_office(user)


def require_review_queue(user: Any) -> None:
    """Refuse the review queue to anyone but the assessment office."""
    # The queue holds every office's submitted entries and every open objection.
    if not may_review(user):
        raise PermissionDenied


# --- years and departments -----------------------------------------------------------------


def year_for_user(user: Any, year: int) -> Year:
    """A year, for anyone with a role."""
    require_role(user)
    found = Year.objects.filter(year=year).first()
    if found is None:
        raise Http404
    return found


def department_for_user(user: Any, year: Year, code: str) -> Department:
    """A department's page: readers of everything, and the department's own head and liaison."""
    department = Department.objects.filter(code=code, years__year=year).first()
    if department is None:
        raise Http404
    if not (reads_everything(user) or department.pk in member_department_ids(user)):
        raise Http404
    return department


def self_assessment_department(user: Any, year: Year, code: str, *, write: bool) -> Department:
    """A department's self-assessment form: seen like its page; filled by its head or liaison."""
    department = department_for_user(user, year, code)
    # The department's own head or liaison fills in and submits the form.
    if write and department.pk not in member_department_ids(user):
        raise PermissionDenied
    return department


def pages_of_departments(user: Any, year: Year) -> QuerySet[YearDepartment]:
    """The year's assessed departments whose page the user may open (as department_for_user)."""
    assessed = year.assessed.select_related("department")
    # Readers of everything open every department's page.
    if reads_everything(user):
        return assessed
    # A head or liaison opens their own department's page only.
    return assessed.filter(department_id__in=member_department_ids(user))


def may_see_overview(user: Any) -> bool:
    """The all-departments overview: the office, leaders, the party group."""
    return reads_everything(user)


def require_overview(user: Any) -> None:
    """Refuse the overview to anyone who does not read every department."""
    # The overview shows every department's figures: only readers of everything.
    if not may_see_overview(user):
        raise PermissionDenied


# --- scheme library, organisation, audit ---------------------------------------------------


def scheme_document_for_user(user: Any, scheme_id: str) -> SchemeDocument:
    """A scheme of the library, for the assessment office (404 for an unknown id)."""
    # Only the assessment office keeps the library; others are refused before any lookup.
    require_assessment_office(user)
    document = SchemeDocument.objects.filter(scheme_id=scheme_id).first()
    # An unknown id is not found.
    if document is None:
        raise Http404
    return document


def org_department_for_user(user: Any, code: str) -> Department:
    """A department to manage, with its staff: the assessment office only."""
    # Managing departments and staff is the assessment office's work.
    require_assessment_office(user)
    department = Department.objects.filter(code=code).first()
    # An unknown code is not found.
    if department is None:
        raise Http404
    return department


def may_see_audit(user: Any) -> bool:
    """The audit trail: the assessment office only."""
    # Before/after values of every write, drafts included: the assessment office alone.
    return is_assessment_office(user)


def require_audit(user: Any) -> None:
    """Refuse the audit trail to anyone but the assessment office."""
    if not may_see_audit(user):
        raise PermissionDenied


# --- results: proposal, confirmation, published versions -----------------------------------


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


# --- evaluation rounds and ballot codes ----------------------------------------------------


def may_manage_rounds(user: Any) -> bool:
    """Opening, issuing codes, revoking, watching turnout, closing, exporting: the office only."""
    return is_assessment_office(user)


def rounds_year_for_user(user: Any, year: int) -> Year:
    """A year's evaluation rounds: the assessment office only; 404 for a year that does not exist."""
    # Rounds are run by the assessment office alone.
    if not may_manage_rounds(user):
        raise PermissionDenied
    found = Year.objects.filter(year=year).first()
    # No such year.
    if found is None:
        raise Http404
    return found


def round_for_user(user: Any, pk: int) -> Round:
    """One evaluation round, for the assessment office; 404 for a round that does not exist."""
    # Rounds are run by the assessment office alone.
    if not may_manage_rounds(user):
        raise PermissionDenied
    found = Round.objects.select_related("year").filter(pk=pk).first()
    # No such round.
    if found is None:
        raise Http404
    return found


def code_may_vote(code: BallotCode) -> bool:
    """A ballot code, not a login, is what lets a voter cast one ballot."""
    return (
        not code.used  # one ballot per code
        and not code.revoked  # a lost slip, revoked by its number
        and code.round.status == RoundStatus.OPEN  # only an open round takes ballots
    )
