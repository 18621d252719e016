"""VACUUM of tables whose old row versions would link an anonymous vote to its code.

The evaluation ballots (kaohe/ballots/sealing.py) and the assessment office's secret ballots
(kaohe/ledger/actions/votes.py) rewrite their rows at closing; this removes what the rewrite left
behind in the files: `VACUUM FULL` of the tables on PostgreSQL, again for a few seconds while a
running transaction still sees some old row versions; on SQLite (whose deletes zero the freed
bytes, settings.py sets `secure_delete`) `VACUUM` and a checkpoint that empties the write-ahead
log. It cannot run inside a transaction.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

from django.db import OperationalError, connection, models

# Pauses between tries, in seconds, while a running transaction still sees old row versions.
RETRY_PAUSES = (0.2, 0.5, 1.0, 2.0, 4.0)


def vacuum_tables(
    tables: Sequence[type[models.Model]], pauses: Sequence[float] = RETRY_PAUSES
) -> None:
    """Remove dead row versions from the files: the tables rebuilt, the write-ahead log emptied;
    on PostgreSQL tried again after each of `pauses` (seconds) while some had to be kept."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _vacuum_postgresql(cursor, tables, pauses)
        elif connection.vendor == "sqlite":
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _frames, _done = cursor.fetchone()
            if busy:
                raise OperationalError("a reader kept the write-ahead log from being emptied")
        else:
            raise OperationalError(f"no VACUUM known for {connection.vendor}")


def _vacuum_postgresql(
    cursor: Any, of: Sequence[type[models.Model]], pauses: Sequence[float]
) -> None:
    """VACUUM FULL until no dead row version had to be kept, or give up after a few tries.

    VACUUM FULL keeps the old row versions that a transaction still running might see (a report,
    an autovacuum ANALYZE); those keep the link, so they must be gone before the round is clean.
    """
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in of)
    # VACUUM FULL waits for an exclusive lock on each table; never for long.
    cursor.execute("SET lock_timeout = '10s'")
    try:
        for pause in (*pauses, None):
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
