"""The assessment office's members, and their secret ballots on range amounts (§七, §八.2).

Every write here is audited except casting a vote: as with an evaluation ballot, an audit row
(who, when) beside a vote would name the voter. docs/ballots.md says what is kept.
"""

from __future__ import annotations

import enum
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kaohe.access import ledger as ledger_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.core.codes import code_digest, code_new, code_normalise
from kaohe.core.locks import status_for_share
from kaohe.core.numbers import to_decimal
from kaohe.core.vacuum import vacuum_tables
from kaohe.engine import rangevote
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.actions.entries import entry_decided
from kaohe.ledger.models import (
    DecisionMethod,
    Entry,
    EntryStatus,
    OfficeMember,
    RangeVote,
    RangeVoteCast,
    RangeVoteCode,
    RangeVoteItem,
    RangeVoteStatus,
)
from kaohe.years.models import Year

ABSTAIN = "abstain"
MAX_MEMBERS = 30
log = logging.getLogger(__name__)


def _audit_member(by: Any, action: AuditAction, member: OfficeMember) -> None:
    audit_record(
        by=by,
        action=action,
        target_type=AuditTarget.OFFICE_MEMBER,
        target_id=member.pk,
        year=member.year.year,
        after={
            "name": member.name,
            "post": member.post,
            "account": member.user.username if member.user else "",
            "directs": member.directs,
        },
    )


@transaction.atomic
def office_member_add(
    *, by: Any, year: Year, name: str, post: str, user: Any = None, directs: bool = False
) -> OfficeMember:
    """Record a member of the year's assessment office (one of them directing it)."""
    if not ledger_access.may_manage_office_members(by):
        raise PermissionDenied
    name, post = name.strip(), post.strip()
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = [_("Give the member's name.")]
    if not post:
        problems["post"] = [_("Give the member's post.")]
    members = OfficeMember.objects.select_for_update().filter(year=year)
    if name and members.filter(name=name).exists():
        problems["name"] = [_("This person is already a member this year.")]
    if user is not None and members.filter(user=user).exists():
        problems["user"] = [_("This account is already a member's this year.")]
    if directs and members.filter(directs=True).exists():
        problems["directs"] = [_("The office already has its director this year.")]
    if members.count() >= MAX_MEMBERS:
        problems["name"] = [_("The office has at most %(n)s members.") % {"n": MAX_MEMBERS}]
    if problems:
        raise ValidationError(problems)
    member = OfficeMember.objects.create(
        year=year, name=name, post=post, user=user, directs=directs
    )
    _audit_member(by, AuditAction.OFFICE_MEMBER_ADD, member)
    return member


@transaction.atomic
def office_member_remove(*, by: Any, member: OfficeMember) -> None:
    """Remove a member recorded by mistake (votes already opened keep their number of members)."""
    if not ledger_access.may_manage_office_members(by):
        raise PermissionDenied
    _audit_member(by, AuditAction.OFFICE_MEMBER_REMOVE, member)
    member.delete()


@dataclass(frozen=True)
class IssuedVoteCode:
    """A printed slip's code in clear, as it exists only in the answer to the opening."""

    number: int
    code: str


def _vote_audit(by: Any, action: AuditAction, vote: RangeVote, after: dict[str, Any]) -> None:
    audit_record(
        by=by,
        action=action,
        target_type=AuditTarget.RANGE_VOTE,
        target_id=vote.pk,
        year=vote.year.year,
        after=after,
    )


def _open_problems(
    year: Year, entries: Sequence[Entry], step: Decimal | None, meeting: str
) -> dict[str, list[str]]:
    """Why a vote cannot open on these entries: none, not pending range entries, in another
    open vote; a step other than 0.5 or 0.1; no meeting; too few members."""
    problems: dict[str, list[str]] = {}
    if not entries:
        problems["entries"] = [_("Choose at least one pending range entry.")]
    for entry in entries:
        rule = year.scheme.rules.get(entry.rule_id)
        pending = entry.status == EntryStatus.SUBMITTED and entry.year_id == year.pk
        if rule is None or rule.kind != RuleKind.RANGE or not pending:
            problems["entries"] = [_("Only submitted range entries can be put to the vote.")]
        elif ledger_access.in_open_vote(entry):
            message = _("Entry %(ref)s is already put to an open vote.")
            problems["entries"] = [message % {"ref": entry.ref}]
    if step not in rangevote.STEPS:
        problems["step"] = [_("The step is 0.5 or 0.1.")]
    if not meeting.strip():
        problems["meeting"] = [_("Name the meeting that votes.")]
    if year.office_members.count() < 2:
        problems["entries"] = [_("Record the office's members for the year first.")]
    return problems


@sensitive_variables()
@transaction.atomic
def range_vote_open(
    *,
    by: Any,
    year: Year,
    entries: Sequence[Entry],
    step: Decimal | None,
    meeting: str,
    slips_for_all: bool = False,
) -> tuple[RangeVote, list[IssuedVoteCode]]:
    """The director opens a secret ballot on pending range entries: one code per member.

    A member with an account gets it on their own page (no one ever sees it); the others' codes
    are returned in clear to be printed and handed out, and are kept nowhere but as keyed hashes.
    """
    if not ledger_access.may_direct_votes(by, year):
        raise PermissionDenied
    locked = list(Entry.objects.select_for_update().filter(pk__in=[e.pk for e in entries]))
    if problems := _open_problems(year, locked, step, meeting):
        raise ValidationError(problems)
    assert step is not None
    members = list(year.office_members.order_by("id"))
    vote = RangeVote.objects.create(
        year=year,
        meeting=meeting.strip(),
        step=step,
        members=len(members),
        opened_by=by,
        opened_at=timezone.now(),
    )
    for entry in sorted(locked, key=lambda e: e.ref):
        rule = year.scheme.rules[entry.rule_id]
        assert rule.min is not None and rule.max is not None
        RangeVoteItem.objects.create(
            vote=vote, entry=entry, low=to_decimal(rule.min), high=to_decimal(rule.max)
        )
    # Printed slips first, numbered 1, 2, … whatever the members' order, so that a slip's number
    # says nothing of whom it was meant for; then the codes delivered to accounts.
    holders = sorted(
        (None if slips_for_all else m.user for m in members), key=lambda u: u is not None
    )
    printed: list[IssuedVoteCode] = []
    for number, holder in enumerate(holders, start=1):
        code = code_new()
        if holder is None:
            printed.append(IssuedVoteCode(number, code))
        RangeVoteCode.objects.create(
            vote=vote, number=number, digest=code_digest(code), holder=holder
        )
    after = {
        "meeting": vote.meeting,
        "step": str(step),
        "members": len(members),
        "entries": [e.ref for e in sorted(locked, key=lambda e: e.ref)],
        "slips": len(printed),
        "accounts": len(members) - len(printed),
    }
    _vote_audit(by, AuditAction.RANGE_VOTE_OPEN, vote, after)
    return vote, printed


class CastOutcome(enum.Enum):
    """What became of a cast vote."""

    ACCEPTED = "accepted"
    ALREADY_CAST = "already_cast"
    REFUSED = "refused"  # unknown code, or a vote that is not open


@sensitive_variables()
def vote_code_find(raw: str) -> RangeVoteCode | None:
    """The code row a typed code stands for (a printed slip's), with its vote; None if none."""
    canonical = code_normalise(raw)
    if canonical is None:
        return None
    return (
        RangeVoteCode.objects.select_related("vote__year")
        .filter(digest=code_digest(canonical))
        .first()
    )


def amounts_problems(vote: RangeVote, amounts: Mapping[str, str]) -> list[str]:
    """Why a vote's amounts cannot be taken: an entry missing or unknown, an amount that is not a
    number, outside the rule's [min, max] or off the director's step."""
    items = list(vote.items.select_related("entry"))
    wanted = {str(item.entry_id) for item in items}
    if set(amounts) != wanted:
        return [_("Give an amount, or abstain, for every entry of the vote, and nothing else.")]
    problems = []
    for item in items:
        raw = amounts[str(item.entry_id)]
        if raw == ABSTAIN:
            continue
        if (amount := _decimal(raw)) is None or not rangevote.on_step(
            amount, item.low, item.high, vote.step
        ):
            message = _(
                "Entry %(ref)s: the amount must lie between %(low)s and %(high)s, in steps of "
                "%(step)s."
            )
            values = {
                "ref": item.entry.ref,
                "low": item.low.normalize(),
                "high": item.high.normalize(),
                "step": vote.step.normalize(),
            }
            problems.append(message % values)
    return problems


def _decimal(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def _vote_still_open(vote_id: int) -> bool:
    """Read the vote's status under a shared lock, so that closing waits for this cast."""
    return status_for_share(RangeVote, vote_id) == RangeVoteStatus.OPEN


@sensitive_variables()
def range_vote_cast(*, code: RangeVoteCode | None, amounts: Mapping[str, str]) -> CastOutcome:
    """Use up a member's code and store the vote, with nothing linking the two; exactly one cast
    per code wins. `code` is the row found from a typed code (vote_code_find) or delivered to
    the member's account (access.ledger.account_codes). Invalid amounts raise ValidationError
    before anything is written, so the code stays unused."""
    if code is None:
        return CastOutcome.REFUSED
    if code.used:
        return CastOutcome.ALREADY_CAST
    if not ledger_access.may_vote_with(code):
        return CastOutcome.REFUSED
    if problems := amounts_problems(code.vote, amounts):
        raise ValidationError(problems)
    with transaction.atomic():
        if not _vote_still_open(code.vote_id):
            return CastOutcome.REFUSED
        # The conditional update is the whole guarantee: one row changes for one cast only.
        won = RangeVoteCode.objects.filter(pk=code.pk, used=False).update(used=True)
        if won == 1:
            RangeVoteCast.objects.create(vote_id=code.vote_id, amounts=dict(amounts))
    return CastOutcome.ACCEPTED if won == 1 else CastOutcome.ALREADY_CAST


@dataclass(frozen=True)
class Closing:
    """What the closing did: whether enough members voted, the entries decided, those left pending."""

    valid: bool
    voted: int
    members: int
    decided: list[Entry]
    pending: list[Entry]


def _tally(casts: list[dict[str, str]], item: RangeVoteItem) -> rangevote.ItemTally:
    """One entry's count from every cast (an entry a cast leaves out is an abstention)."""
    choices = [casts_amount(c.get(str(item.entry_id), ABSTAIN)) for c in casts]
    return rangevote.item_tally(choices)


def casts_amount(raw: str) -> Decimal | None:
    """A stored choice as the engine counts it: an amount, or None for an abstention."""
    return None if raw == ABSTAIN else Decimal(raw)


def votes_record(vote: RangeVote, voted: int, tally: rangevote.ItemTally) -> dict[str, Any]:
    """What the entry keeps of its secret ballot: counts and the distribution, no names."""
    return {
        "members": vote.members,
        "voted": voted,
        "abstained": tally.abstained,
        "distribution": [f"{_plain(a)} ×{n}" for a, n in tally.distribution],
        "step": _plain(vote.step),
    }


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


@transaction.atomic
def range_vote_close(*, by: Any, vote: RangeVote) -> Closing:
    """The director closes the vote. Valid only if more than half of the members voted: then each
    entry's amount is the median of the amounts cast (the lower middle one for an even number),
    decided through the entries' one decision path; otherwise every entry stays pending."""
    if not ledger_access.may_direct_votes(by, vote.year):
        raise PermissionDenied
    locked = RangeVote.objects.select_for_update().select_related("year").get(pk=vote.pk)
    if not locked.is_open:
        raise ValidationError(_("This vote is already closed."))
    voted = locked.codes.filter(used=True).count()
    casts = list(locked.casts.values_list("amounts", flat=True))
    valid = rangevote.has_quorum(voted, locked.members)
    decided: list[Entry] = []
    pending: list[Entry] = []
    outcome: dict[str, Any] = {
        "valid": valid,
        "voted": voted,
        "members": locked.members,
        "items": {},
    }
    for item in locked.items.select_related("entry"):
        tally = _tally(casts, item)
        entry = (
            Entry.objects.select_for_update()
            .select_related("year", "department")
            .get(pk=item.entry_id)
        )
        outcome["items"][entry.ref] = {
            **votes_record(locked, voted, tally),
            "decided": None if tally.decided is None else _plain(tally.decided),
        }
        if not valid or tally.decided is None or entry.status != EntryStatus.SUBMITTED:
            pending.append(entry)
            continue
        record = votes_record(locked, voted, tally)
        decided.append(
            entry_decided(by, entry, tally.decided, DecisionMethod.BALLOT, locked.meeting, record)
        )
    _rows_rewrite(locked)
    locked.status, locked.outcome = RangeVoteStatus.CLOSED, outcome
    locked.closed_by, locked.closed_at, locked.vacuum_pending = by, timezone.now(), True
    locked.save()
    _vote_audit(by, AuditAction.RANGE_VOTE_CLOSE, locked, outcome)
    transaction.on_commit(lambda: range_votes_vacuum(by=by))
    return Closing(valid, voted, locked.members, decided, pending)


def _rows_rewrite(vote: RangeVote) -> None:
    """As an evaluation round's closing does (kaohe/ballots/sealing.py): the vote's casts deleted
    and inserted again shuffled under new random ids, its codes deleted and inserted again in
    number order, each table in a savepoint of its own, so that on PostgreSQL neither the
    transaction ids (`xmin`) nor the physical order join a cast to the code that voted it."""
    with transaction.atomic():
        fresh = [RangeVoteCast(vote=vote, amounts=c.amounts) for c in vote.casts.all()]
        secrets.SystemRandom().shuffle(fresh)
        vote.casts.all().delete()
        RangeVoteCast.objects.bulk_create(fresh)
    with transaction.atomic():
        codes = list(vote.codes.order_by("number"))
        vote.codes.all().delete()
        RangeVoteCode.objects.bulk_create(codes)


def range_votes_vacuum(*, by: Any = None) -> list[int]:
    """Remove the old row versions closings left behind, and say so on the votes concerned.

    Not atomic: VACUUM cannot run inside a transaction. Run after each closing; it changes no
    vote, code or count, so a failure leaves the votes pending for the next closing's run.
    """
    if connection.in_atomic_block:
        return []
    pending = list(RangeVote.objects.filter(vacuum_pending=True).select_related("year"))
    try:
        vacuum_tables((RangeVoteCast, RangeVoteCode))
    except DatabaseError as error:
        log.warning("secret-ballot tables not vacuumed, votes stay pending: %s", error)
        return []
    with transaction.atomic():
        for vote in pending:
            RangeVote.objects.filter(pk=vote.pk).update(vacuum_pending=False)
            after = {"database": connection.vendor}
            _vote_audit(by, AuditAction.RANGE_VOTE_VACUUM, vote, after)
    return [v.pk for v in pending]
