"""Submitting a ballot: the one write that is never audited."""

from __future__ import annotations

import enum
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.views.decorators.debug import sensitive_variables

from kaohe.access import ballots as ballot_access
from kaohe.ballots.actions.codes import code_find
from kaohe.ballots.models import Ballot, BallotCode, Round, RoundStatus
from kaohe.ballots.validation import grades_problems


class Outcome(enum.Enum):
    """What became of a submitted ballot."""

    ACCEPTED = "accepted"
    ALREADY_SUBMITTED = "already_submitted"
    REFUSED = "refused"  # unknown or revoked code, or a round that is not open


def _round_still_open(round_id: int) -> bool:
    """Read the round's status under a shared lock, so that closing waits for this ballot."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status FROM {Round._meta.db_table} WHERE id = %s{lock}", [round_id])
        row = cursor.fetchone()
    return row is not None and row[0] == RoundStatus.OPEN


def _store_ballot(round_id: int, group: str, grades: Mapping[str, str]) -> None:
    """Insert the ballot: a fresh random id, no time, no code, no user."""
    Ballot.objects.create(round_id=round_id, group=group, grades=dict(grades))


@sensitive_variables()
def ballot_submit(
    *, code: str, grades: Mapping[str, str], found: BallotCode | None = None
) -> Outcome:
    """Use up a code and store its ballot in one transaction; exactly one submission per code wins.

    `grades` maps department codes to grade codes; departments left out are abstentions. Invalid
    grades raise ValidationError before anything is written, so the code stays unused. `found` is
    the code's row when the caller has just looked it up (the transaction re-checks it anyway).
    """
    row = found if found is not None else code_find(code)
    if row is None:
        return Outcome.REFUSED
    if row.used:
        return Outcome.ALREADY_SUBMITTED
    if not ballot_access.code_may_vote(row):
        return Outcome.REFUSED
    problems = grades_problems(row.round, grades)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if not _round_still_open(row.round_id):
            return Outcome.REFUSED
        # The conditional update is the whole guarantee: one row changes for one submission only.
        won = BallotCode.objects.filter(pk=row.pk, used=False, revoked=False).update(used=True)
        if won != 1:
            used = BallotCode.objects.filter(pk=row.pk, used=True).exists()
            return Outcome.ALREADY_SUBMITTED if used else Outcome.REFUSED
        _store_ballot(row.round_id, row.group.name, grades)
    return Outcome.ACCEPTED
