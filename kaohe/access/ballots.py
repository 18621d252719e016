"""Who may run evaluation rounds, and which ballot code may vote."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kaohe.access.roles import is_assessment_office
from kaohe.ballots.models import BallotCode, Round, RoundStatus
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
