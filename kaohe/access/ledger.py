"""Who may record, see, submit, review and object to entries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaohe.access.roles import (
    clerk_offices,
    head_department_ids,
    is_assessment_office,
    member_department_ids,
    reads_everything,
)
from kaohe.engine.scheme import Rule
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.models import (
    Entry,
    EntryStatus,
    Evidence,
    Objection,
    ObjectionStatus,
    OfficeMember,
    RangeVote,
    RangeVoteCode,
)
from kaohe.org.models import Department
from kaohe.years.models import Year

# What departments, leaders and the party group see: entries that count, and those voided (with
# who voided them and why), never what is still on its way through review.
SETTLED = [EntryStatus.CONFIRMED, EntryStatus.VOIDED]
# Entries on their way through review: those who see only settled ones are told how many.
PENDING = [EntryStatus.SUBMITTED, EntryStatus.RETURNED]


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
    condition = Q(pk__in=[])
    # The assessment office sees every entry once submitted; a draft is its office's alone.
    if is_assessment_office(user):
        condition |= ~Q(status=EntryStatus.DRAFT)
    # A clerk sees the entries their office recorded, drafts included.
    offices = clerk_offices(user)
    if offices:
        condition |= Q(office__in=offices)
    # Leaders and the party group see every department's settled entries.
    if reads_everything(user):
        condition |= Q(status__in=SETTLED)
    # A department sees the settled entries recorded against it.
    departments = member_department_ids(user)
    if departments:
        condition |= Q(department_id__in=departments, status__in=SETTLED)
    return Entry.objects.filter(year=year).filter(condition)


def pending_unseen(user: Any, year: Year) -> int:
    """How many entries under review the user would see once confirmed (a count, no more)."""
    # The assessment office sees every entry under review: nothing to count (and no query).
    if is_assessment_office(user):
        return 0
    # Those who see some of them (a clerk, their office's) are counted only the others.
    pending = Entry.objects.filter(year=year, status__in=PENDING)
    seen = visible_entries(user, year).filter(status__in=PENDING).values("pk")
    # Leaders and the party group: every department's; a department: its own.
    if not reads_everything(user):
        pending = pending.filter(department_id__in=member_department_ids(user))
    return pending.exclude(pk__in=seen).count()


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
    """The department's head objects to a confirmed entry (one objection at a time)."""
    # Only the head of the department the entry is against.
    if entry.department_id not in head_department_ids(user):
        return False
    # Only entries that count: the department sees no others (visible_entries).
    return entry.status == EntryStatus.CONFIRMED


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
    if entry.status not in (EntryStatus.SUBMITTED, EntryStatus.CONFIRMED):
        return False
    # An entry put to a secret ballot waits for its closing.
    return not in_open_vote(entry)


def may_void_entry(user: Any, entry: Entry) -> bool:
    """The assessment office voids any submitted entry not already voided."""
    # Only the assessment office voids, and an entry is voided once.
    if not may_review(user) or entry.status == EntryStatus.VOIDED:
        return False
    # A draft is its office's alone: the assessment office does not see it (visible_entries).
    return entry.status != EntryStatus.DRAFT


def may_propose_entry(user: Any, year: Year, rule_id: str) -> bool:
    """The system proposes a draft: the command line (None), the assessment office, or a clerk
    of the office that owns the rule."""
    rule = year.scheme.rules.get(rule_id)
    # Only a rule of the year's scheme.
    if rule is None:
        return False
    # The command line acts as the administrator; the assessment office runs the checks.
    if user is None or is_assessment_office(user):
        return True
    # A clerk of an office that owns the rule.
    return bool(clerk_offices(user) & set(rule.offices))


def may_discard_entry(user: Any, entry: Entry) -> bool:
    """The recording office's clerk discards its own draft (a proposal not taken up)."""
    return entry.status == EntryStatus.DRAFT and may_edit_entry(user, entry)


def refusal(user: Any, entry: Entry) -> Exception:
    """Why a review step its predicate refused cannot be taken, to raise in the view or action.

    The predicate (may_confirm_entry, ...) alone decides; this only words the refusal. A reviewer
    is told the entry's state (it moved on since the page was drawn, or it is a range entry);
    anyone else is forbidden.
    """
    # Whoever does not review learns nothing more than that they may not.
    if not may_review(user):
        return PermissionDenied()
    # A submitted range entry is confirmed by deciding its amount.
    rule = entry.year.scheme.rules.get(entry.rule_id)
    if entry.status == EntryStatus.SUBMITTED and rule is not None and rule.kind == RuleKind.RANGE:
        return ValidationError(_("A range entry is confirmed by recording the decided amount."))
    return ValidationError(
        _("This entry is %(status)s; it cannot be changed that way.")
        % {"status": entry.get_status_display()}
    )


def may_resolve_objection(user: Any, objection: Objection) -> bool:
    """The assessment office decides an open objection, unless it is a party to it."""
    # Only the assessment office resolves, and only what is still open.
    if not (may_review(user) and objection.status == ObjectionStatus.OPEN):
        return False
    # Nobody decides an objection they raised (a head may also sit in the assessment office).
    return not is_party_to_objection(user, objection)


def objection_refusal(user: Any, objection: Objection) -> Exception:
    """Why may_resolve_objection refused, to raise: only a reviewer learns it was already decided."""
    # A reviewer who is no party to it, on an objection decided meanwhile, is told so.
    if may_review(user) and not is_party_to_objection(user, objection):
        return ValidationError(_("This objection has already been resolved."))
    # Anyone else, a party included, is forbidden.
    return PermissionDenied()


def is_recused(user: Any, objection: Objection) -> bool:
    """An open objection the user would decide, were they not a party to it (回避 is shown)."""
    # Only what is still open awaits a decision.
    if objection.status != ObjectionStatus.OPEN:
        return False
    # A reviewer who is a party steps aside.
    return may_review(user) and is_party_to_objection(user, objection)


def may_attach_evidence(user: Any, entry: Entry) -> bool:
    """Adding evidence files to an entry: its clerk while editing it, or the assessment office."""
    # The recording clerk attaches evidence while the entry is theirs to edit.
    if may_edit_entry(user, entry):
        return True
    # The assessment office may add what it gathered while reviewing.
    return may_review(user)


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


def review_entries_for_user(user: Any, year: Year, pks: Sequence[int]) -> list[Entry]:
    """The entries of a selection in the review queue, in the queue's order; entries the user
    may not see are left out (the actions then check each step on the locked row)."""
    require_review_queue(user)
    chosen = visible_entries(user, year).filter(pk__in=pks).select_related("year", "department")
    return list(chosen.order_by("created_at", "pk"))


def require_review_queue(user: Any) -> None:
    """Refuse the review queue to anyone but the assessment office."""
    # The queue holds every office's submitted entries and every open objection.
    if not may_review(user):
        raise PermissionDenied


# The office that keeps the staff's individual assessment (seed §六.3 and §七), by its name in
# the year's scheme: the scheme's office codes may change from year to year, its name does not.
PERSONNEL_OFFICE = "组织人事处"


def individual_report_departments(user: Any, year: Year) -> set[int] | None:
    """The departments whose persons the user may see in the individual report (seed §六.3):
    None for every department; PermissionDenied for anyone who may see none."""
    # The assessment office weighs every department's points.
    if is_assessment_office(user):
        return None
    # 组织人事处's clerks apply the points in each person's individual assessment.
    personnel = {code for code, name in year.scheme.offices.items() if name == PERSONNEL_OFFICE}
    if clerk_offices(user) & personnel:
        return None
    # A department's head sees their own department's persons; a liaison does not.
    heads = head_department_ids(user)
    if heads:
        return heads
    raise PermissionDenied


def may_see_individual_report(user: Any, year: Year) -> bool:
    """Whether the user opens the individual report at all (see individual_report_departments)."""
    try:
        individual_report_departments(user, year)
    except PermissionDenied:
        return False
    return True


# --- the assessment office's members and their secret ballots on range amounts (§七, §八.2) ---


def may_manage_office_members(user: Any) -> bool:
    """The assessment office records who its members are each year."""
    return is_assessment_office(user)


def director_member(user: Any, year: Year) -> OfficeMember | None:
    """The year's directing member, if the user is their account."""
    # Only a logged-in account can be a member's.
    if not getattr(user, "is_authenticated", False):
        return None
    # The one member marked as directing, linked to this account.
    return OfficeMember.objects.filter(year=year, directs=True, user=user).first()


def may_direct_votes(user: Any, year: Year) -> bool:
    """The director of the assessment office (the directing member's account) opens and closes
    secret ballots."""
    return director_member(user, year) is not None


def may_see_votes(user: Any, year: Year) -> bool:
    """The assessment office and its director follow the secret ballots (turnout, outcome)."""
    # The office, which records the members and reviews the entries.
    if is_assessment_office(user):
        return True
    # The director, who opens and closes them.
    return may_direct_votes(user, year)


def require_votes_reader(user: Any, year: Year) -> None:
    """Refuse anyone but the office and its director."""
    if not may_see_votes(user, year):
        raise PermissionDenied


def vote_for_user(user: Any, pk: int) -> RangeVote:
    """A secret ballot the user may follow (404 for a guessed id, 403 for the others)."""
    vote = RangeVote.objects.select_related("year").filter(pk=pk).first()
    if vote is None:
        raise Http404
    require_votes_reader(user, vote.year)
    return vote


def may_vote_with(code: RangeVoteCode) -> bool:
    """A code votes once, while its ballot is open."""
    # Only an unused code: one vote per member.
    if code.used:
        return False
    # Only while the ballot is open.
    return code.vote.is_open


def account_codes(user: Any) -> QuerySet[RangeVoteCode]:
    """The unused codes delivered to the user's account, of ballots still open."""
    # A visitor without an account holds none.
    if not getattr(user, "is_authenticated", False):
        return RangeVoteCode.objects.none()
    return RangeVoteCode.objects.filter(holder=user, used=False, vote__status="open")


def account_voted(user: Any, vote_id: int) -> bool:
    """Whether the user's account has already voted in this vote (to say so, not to refuse)."""
    # A visitor without an account holds no code.
    if not getattr(user, "is_authenticated", False):
        return False
    return RangeVoteCode.objects.filter(holder=user, vote_id=vote_id, used=True).exists()


def in_open_vote(entry: Entry) -> bool:
    """Whether the entry is put to a secret ballot still open."""
    return entry.vote_items.filter(vote__status="open").exists()
