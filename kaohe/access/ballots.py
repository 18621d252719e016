"""Who may run evaluation rounds, and which ballot code may vote."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kaohe.access.roles import is_assessment_office
from kaohe.ballots.models import (
    BallotCode,
    PaperEntry,
    PaperEntryStatus,
    PaperScan,
    Round,
    RoundStatus,
)
from kaohe.years.models import Year


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


def may_enter_paper(user: Any, round: Round) -> bool:
    """Entering paper forms by hand: the office, while the round is open."""
    return (
        may_manage_rounds(user)  # the assessment office runs the round's paper too
        and round.status == RoundStatus.OPEN  # a closed round takes no ballot, from paper neither
    )


def may_decide_paper(user: Any, entry: PaperEntry) -> bool:
    """Deciding a form whose two entries differ: a third member of the office."""
    return (
        may_enter_paper(user, entry.round)  # the office, while the round is open
        and entry.status == PaperEntryStatus.DISPUTED  # only a disagreement is decided
        and not entry.entered_by(user)  # neither of the two who entered it
    )


def paper_round_for_user(user: Any, pk: int) -> Round:
    """A round whose paper forms are entered; 404 for no round, 403 for anyone but the office."""
    found = round_for_user(user, pk)
    # A closed round's paper entries are gone.
    if not may_enter_paper(user, found):
        raise PermissionDenied
    return found


def paper_entry_for_user(user: Any, round: Round, pk: int) -> PaperEntry:
    """A disputed form of the round, for a third member of the office; 404 if there is none."""
    found = (
        PaperEntry.objects.select_related("round", "code")
        .filter(round=round, pk=pk, status=PaperEntryStatus.DISPUTED)
        .first()
    )
    # No such dispute in this round (decided already, or never).
    if found is None:
        raise Http404
    # The two who entered it may not decide it.
    if not may_decide_paper(user, found):
        raise PermissionDenied
    return found


def paper_scan_for_user(user: Any, round: Round, pk: int) -> PaperScan:
    """A kept scanned page of the round, for the office; 404 if there is none."""
    # The office only, while the round is open.
    if not may_enter_paper(user, round):
        raise PermissionDenied
    found = (
        PaperScan.objects.select_related("round", "code__group").filter(round=round, pk=pk).first()
    )
    # No such page in this round (decided already, or never).
    if found is None:
        raise Http404
    return found
