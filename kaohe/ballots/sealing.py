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
import re
import secrets
import time
from typing import Any

from django.db import DatabaseError, OperationalError, connection, transaction

from kaohe.ballots.models import (
    Ballot,
    BallotCode,
    GuessCount,
    PaperEntry,
    PaperScan,
    Round,
)

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
RETRY_PAUSES = (0.2, 0.5, 1.0, 2.0, 4.0)


def _vacuum_tables() -> None:
    """Remove dead row versions from the files: the tables rebuilt, the write-ahead log emptied."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _vacuum_postgresql(cursor)
        elif connection.vendor == "sqlite":
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _frames, _done = cursor.fetchone()
            if busy:
                raise OperationalError("a reader kept the write-ahead log from being emptied")
        else:
            raise OperationalError(f"no VACUUM known for {connection.vendor}")


def _vacuum_postgresql(cursor: Any) -> None:
    """VACUUM FULL until no dead row version had to be kept, or give up after a few tries.

    VACUUM FULL keeps the old row versions that a transaction still running might see (a report,
    an autovacuum ANALYZE); those keep the link, so they must be gone before the round is clean.
    """
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table)
        for m in (Ballot, BallotCode, GuessCount, PaperEntry, PaperScan)
    )
    # VACUUM FULL waits for an exclusive lock on each table; never for long.
    cursor.execute("SET lock_timeout = '10s'")
    try:
        for pause in (*RETRY_PAUSES, None):
            kept = _vacuum_full(cursor, tables)
            if not kept:
                return
            if pause is None:
                raise OperationalError(f"{kept} old row versions still visible to a transaction")
            time.sleep(pause)
    finally:
        cursor.execute("RESET lock_timeout")


def _vacuum_full(cursor: Any, tables: str) -> int:
    """One VACUUM FULL of the tables: how many dead row versions it had to keep."""
    details: list[str] = []

    def note(diagnostic: Any) -> None:
        if diagnostic.message_detail:
            details.append(diagnostic.message_detail)

    driver = connection.connection
    driver.add_notice_handler(note)
    try:
        cursor.execute(f"VACUUM (FULL, VERBOSE) {tables}")
    finally:
        driver.remove_notice_handler(note)
    # Each table's report has one detail, whose first number is that count in every language the
    # server may speak ("%.0f dead row versions cannot be removed yet", "仍有 %.0f 个死行版本…").
    return sum(int(m.group(1)) for d in details if (m := re.search(r"(\d+)", d)))


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
