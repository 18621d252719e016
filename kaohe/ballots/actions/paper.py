"""Paper forms entered by hand, twice: a ballot when two clerks agree, a third decides otherwise.

The ballot itself is stored by `ballot_submit`, the one submission path (never audited); these
actions audit the office's work on a round (who entered or decided a form, and what came of it),
never the code, the slip number or the grades.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kaohe.access import ballots as ballot_access
from kaohe.audit.choices import AuditAction
from kaohe.ballots.actions.codes import code_find_in_round
from kaohe.ballots.actions.rounds import _audit
from kaohe.ballots.actions.voting import Outcome, ballot_submit
from kaohe.ballots.models import BallotCode, PaperEntry, PaperEntryStatus, Round
from kaohe.ballots.validation import grades_problems


class EntryOutcome(enum.Enum):
    """What became of a form entered by hand."""

    WAITING = "waiting"  # the first entry: a second clerk must enter the form too
    COUNTED = "counted"  # the entries agreed (or the decision was made): a ballot is stored
    DISPUTED = "disputed"  # the second entry differs: a third person decides
    ALREADY_SUBMITTED = "already_submitted"  # the code has voted (by phone, or another entry)


def _locked_code(round: Round, code: str) -> BallotCode:
    """The form's code row, locked; refused unless it is a live code of this round."""
    row = code_find_in_round(round, code)
    if row is None or row.round_id != round.pk or row.revoked:
        raise ValidationError(_("This code is not a valid code of this round."), code="code")
    return BallotCode.objects.select_for_update().select_related("round", "group").get(pk=row.pk)


def _count(row: BallotCode, code: str, grades: Mapping[str, str]) -> EntryOutcome:
    """Submit the agreed ballot through the one submission path; the entry is deleted."""
    outcome = ballot_submit(code=code, grades=grades, found=row)
    PaperEntry.objects.filter(code=row).delete()
    if outcome is Outcome.ACCEPTED:
        return EntryOutcome.COUNTED
    if outcome is Outcome.ALREADY_SUBMITTED:
        return EntryOutcome.ALREADY_SUBMITTED
    raise ValidationError(_("This code is not a valid code of this round."), code="code")


def _check_grades(round: Round, grades: Mapping[str, str]) -> None:
    problems = grades_problems(round, grades)
    if problems:
        raise ValidationError(problems)


@sensitive_variables()
@transaction.atomic
def paper_entry_record(
    *, by: Any, round: Round, code: str, grades: Mapping[str, str]
) -> EntryOutcome:
    """One clerk's entry of a paper form (`grades`: department → grade, abstentions left out).

    The first entry waits; a second by another clerk that agrees makes the ballot, one that
    differs keeps both for a third person. The second clerk is never shown the first entry.
    """
    if not ballot_access.may_enter_paper(by, round):
        raise PermissionDenied
    row = _locked_code(round, code)
    _check_grades(round, grades)
    entry = PaperEntry.objects.filter(code=row).first()
    if row.used:
        PaperEntry.objects.filter(code=row).delete()
        outcome = EntryOutcome.ALREADY_SUBMITTED
        place = "second" if entry is not None else "first"
    elif entry is None:
        PaperEntry.objects.create(round=round, code=row, first=dict(grades), first_by=by)
        outcome, place = EntryOutcome.WAITING, "first"
    elif entry.status == PaperEntryStatus.DISPUTED:
        raise ValidationError(_("The two entries of this form differ; a third person decides it."))
    elif entry.first_by_id == by.pk:
        raise ValidationError(_("You entered this form already; another clerk must enter it."))
    elif dict(grades) == entry.first:
        outcome, place = _count(row, code, grades), "second"
    else:
        entry.second, entry.second_by, entry.status = dict(grades), by, PaperEntryStatus.DISPUTED
        entry.save(update_fields=["second", "second_by", "status"])
        outcome, place = EntryOutcome.DISPUTED, "second"
    _audit(by, AuditAction.PAPER_ENTRY_RECORD, round, {"entry": place, "outcome": outcome.value})
    return outcome


@sensitive_variables()
@transaction.atomic
def paper_entry_decide(
    *, by: Any, entry: PaperEntry, code: str, grades: Mapping[str, str]
) -> EntryOutcome:
    """A third person decides a form whose two entries differ, with the form in hand.

    The code is typed again from the form (the server keeps it only as a keyed hash), and must
    be this entry's code; the decided grades become the ballot.
    """
    locked = PaperEntry.objects.select_for_update().select_related("round").get(pk=entry.pk)
    if not ballot_access.may_decide_paper(by, locked):
        raise PermissionDenied
    row = _locked_code(locked.round, code)
    if row.pk != locked.code_id:
        raise ValidationError(_("The code typed is not the code of this form."), code="code")
    _check_grades(locked.round, grades)
    outcome = _count(row, code, grades)
    _audit(by, AuditAction.PAPER_ENTRY_DECIDE, locked.round, {"outcome": outcome.value})
    return outcome
