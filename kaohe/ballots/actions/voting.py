"""Submitting a ballot: the one write that is never audited."""

from __future__ import annotations

import enum
import json
import uuid
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.views.decorators.debug import sensitive_variables

from kaohe.access import ballots as ballot_access
from kaohe.ballots.actions.codes import code_find
from kaohe.ballots.models import Ballot, BallotCode, Round, RoundStatus
from kaohe.ballots.validation import grades_problems
from kaohe.core.locks import status_for_share


class Outcome(enum.Enum):
    """What became of a submitted ballot."""

    ACCEPTED = "accepted"
    ALREADY_SUBMITTED = "already_submitted"
    REFUSED = "refused"  # unknown or revoked code, or a round that is not open


def _round_still_open(round_id: int) -> bool:
    """Read the round's status under a shared lock, so that closing waits for this ballot."""
    return status_for_share(Round, round_id) == RoundStatus.OPEN


def _store_ballot(round_id: int, group: str, grades: Mapping[str, str]) -> None:
    """Insert the ballot: a fresh random id, no time, no code, no user."""
    Ballot.objects.create(round_id=round_id, group=group, grades=dict(grades))


# PostgreSQL: the whole submission in one statement, so one round trip and no BEGIN/COMMIT of
# its own. The round is read FOR SHARE (closing, which locks it FOR UPDATE, waits for this
# ballot, and this one, arriving during a closing, finds the round closed once it may read it);
# the conditional UPDATE uses the code up for one submission only (a second waits on the row
# and finds it used); the ballot is inserted only from the row the UPDATE returned.
_SUBMIT_SQL = """
WITH open_round AS (
    SELECT id FROM {round} WHERE id = %s AND status = %s FOR SHARE
), won AS (
    UPDATE {code} SET used = TRUE
    WHERE id = %s AND used = FALSE AND revoked = FALSE
      AND round_id IN (SELECT id FROM open_round)
    RETURNING round_id
)
INSERT INTO {ballot} (id, round_id, "group", grades)
SELECT %s::uuid, round_id, %s, %s::jsonb FROM won
RETURNING id
"""


def _submit_at_once(row: BallotCode, grades: Mapping[str, str]) -> bool:
    """On PostgreSQL: use up the code and store the ballot in one statement; whether it won."""
    sql = _SUBMIT_SQL.format(
        round=Round._meta.db_table, code=BallotCode._meta.db_table, ballot=Ballot._meta.db_table
    )
    grades_json = json.dumps(dict(grades), ensure_ascii=False)
    values: list[int | str] = [
        row.round_id,
        str(RoundStatus.OPEN),
        row.pk,
        str(uuid.uuid4()),
        row.group.name,
        grades_json,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone() is not None


def _submit_in_steps(row: BallotCode, grades: Mapping[str, str]) -> bool | None:
    """Elsewhere (SQLite, whose writes are serialised anyway): the same in a transaction;
    None if the round is no longer open."""
    with transaction.atomic():
        if not _round_still_open(row.round_id):
            return None
        # The conditional update is the whole guarantee: one row changes for one submission only.
        won = BallotCode.objects.filter(pk=row.pk, used=False, revoked=False).update(used=True)
        if won == 1:
            _store_ballot(row.round_id, row.group.name, grades)
        return won == 1


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
    if connection.vendor == "postgresql":
        won: bool | None = _submit_at_once(row, grades)
    else:
        won = _submit_in_steps(row, grades)
    if won:
        return Outcome.ACCEPTED
    if won is None:
        return Outcome.REFUSED
    # Lost: to a submission with the same code, or to a revocation or the round's closing.
    used = BallotCode.objects.filter(pk=row.pk, used=True).exists()
    still_open = Round.objects.filter(pk=row.round_id, status=RoundStatus.OPEN).exists()
    return Outcome.ALREADY_SUBMITTED if used and still_open else Outcome.REFUSED
