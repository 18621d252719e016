"""Sealing a closed round: its ballots and codes rewritten, then the old row versions removed.

While a round is open, a ballot is stored in the transaction that marks its code used, so the
database itself links the two: on PostgreSQL both rows carry that transaction's id (`xmin`) and
land in the tables in the order of voting; on SQLite the ballot's rowid grows with each vote; and
the old row versions stay in the files. Closing ends all of that (docs/ballots.md):

1. in the closing transaction, the round's ballots are deleted and inserted again in a random order
   under new random ids, and its codes deleted and inserted again, unchanged, in slip-number order,
   each table in a savepoint of its own, so that on PostgreSQL the new ballots and the new codes
   carry two different subtransaction ids, each shared by the whole round;
2. after the commit, VACUUM removes the old row versions: `VACUUM FULL` of the ballot, code and
   throttle tables on PostgreSQL, again for a few seconds while a running transaction still sees
   some of them; on SQLite (whose deletes zero the freed bytes, settings.py sets `secure_delete`)
   `VACUUM` and a checkpoint that empties the write-ahead log.

Step 2 cannot run inside a transaction; if it fails or the process dies first, the round stays
`vacuum_pending` until the next closing or `kaohe ballots_vacuum` runs it again, which changes no
ballot, code or tally and can be repeated at will.
"""

from __future__ import annotations

import logging
import secrets

from django.db import DatabaseError, connection, transaction

from kaohe.ballots.models import Ballot, BallotCode, GuessCount, PaperEntry, PaperScan, Round
from kaohe.core.vacuum import RETRY_PAUSES as DEFAULT_PAUSES
from kaohe.core.vacuum import vacuum_tables

log = logging.getLogger(__name__)


def rows_rewrite(round: Round) -> int:
    """Rewrite a closing round's ballots (shuffled, new ids) and codes; inside the closing transaction."""
    with transaction.atomic():
        fresh = [
            Ballot(round=round, group=b.group, grades=b.grades)  # a new uuid4 each
            for b in Ballot.objects.filter(round=round)
        ]
        secrets.SystemRandom().shuffle(fresh)
        Ballot.objects.filter(round=round).delete()
        Ballot.objects.bulk_create(fresh)
    with transaction.atomic():
        codes = list(BallotCode.objects.filter(round=round).order_by("number"))
        BallotCode.objects.filter(round=round).delete()
        BallotCode.objects.bulk_create(codes)
    return len(fresh)


# Pauses between tries, in seconds, while a running transaction still sees old row versions.
RETRY_PAUSES = DEFAULT_PAUSES


def _vacuum_tables() -> None:
    """Remove dead row versions of the ballot, code, throttle and paper tables
    (kaohe/core/vacuum.py)."""
    vacuum_tables((Ballot, BallotCode, GuessCount, PaperEntry, PaperScan), RETRY_PAUSES)


def vacuum() -> bool:
    """Run step 2 outside any transaction; False (and a warning in the log) if it failed."""
    if connection.in_atomic_block:
        raise RuntimeError("VACUUM cannot run inside a transaction")
    try:
        _vacuum_tables()
    except DatabaseError as error:
        log.warning("ballot tables not vacuumed, rounds stay pending: %s", error)
        return False
    return True
