"""The guessing throttle: refused codes are counted per code-guess pattern, never per address.

A code is 140 random bits, so guessing a whole one is hopeless; the guess that can succeed is the
completion of a code partly seen (over a shoulder, on a photo, a torn slip). Every guess at such a
code shares most of its seven printed groups. So each refused code counts once under each of its
seven groups (a keyed hash of the group and its place); a code any of whose groups has been refused
KAOHE_BALLOT_MAX_FAILURES times within KAOHE_BALLOT_FAILURE_WINDOW seconds is refused with 429,
even when it is the right one. Whoever does not know at least one whole group of a code cannot
complete it anyway (it has at least 7 × 5 = 35 unknown bits spread over all groups).

A room of voters behind one address never shares a count: their codes share no group (but by a
chance of about one in 150,000 per pair of codes). The counts live in the database, so that every
gunicorn worker and process shares them; they hold no address and no code, and expire.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.db import connection
from django.views.decorators.debug import sensitive_variables

from kaohe.ballots.models import GuessCount
from kaohe.core.codes import GROUP, LENGTH, ballot_key

_TABLE = GuessCount._meta.db_table


def _now() -> int:
    return int(time.time())


@sensitive_variables()
def _keys(canonical: str) -> list[str]:
    """The keyed hashes of a canonical code's printed groups, each with its place."""
    key = hmac.new(ballot_key(), b"kaohe.ballots.guess-key", hashlib.sha256).digest()
    return [
        hmac.new(key, f"{i}:{canonical[i : i + GROUP]}".encode(), hashlib.sha256).hexdigest()[:32]
        for i in range(0, LENGTH, GROUP)
    ]


@sensitive_variables()
def is_throttled(canonical: str) -> bool:
    """Whether a group of this code has been refused too often lately."""
    sql, params = throttled_sql(canonical)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return bool(cursor.fetchone()[0])


@sensitive_variables()
def throttled_sql(canonical: str) -> tuple[str, list[str | int]]:
    """is_throttled as an SQL condition and its parameters, for a statement that also looks the
    code up (the voter's page: one round trip, the same whether or not the code exists)."""
    table, key, count, expires = map(connection.ops.quote_name, (_TABLE, "key", "count", "expires"))
    keys = _keys(canonical)
    sql = (
        f"EXISTS (SELECT 1 FROM {table} WHERE {key} IN ({', '.join(['%s'] * len(keys))})"
        f" AND {expires} > %s AND {count} >= %s)"
    )
    return sql, [*keys, _now(), int(settings.BALLOT_MAX_FAILURES)]


@sensitive_variables()
def note_refusal(canonical: str) -> None:
    """Count one refused code under each of its groups, atomically; forget expired counts."""
    now = _now()
    ends = now + int(settings.BALLOT_FAILURE_WINDOW)
    keys = _keys(canonical)
    table, key, count, expires = map(connection.ops.quote_name, (_TABLE, "key", "count", "expires"))
    # One statement per refusal, the same on SQLite and PostgreSQL: concurrent workers never lose
    # a count, and a count whose window has passed starts again at one.
    sql = (
        f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES "
        + ", ".join(["(%s, 1, %s)"] * len(keys))
        + f" ON CONFLICT ({key}) DO UPDATE SET"
        f" {count} = CASE WHEN {table}.{expires} <= %s THEN 1 ELSE {table}.{count} + 1 END,"
        f" {expires} = CASE WHEN {table}.{expires} <= %s THEN excluded.{expires}"
        f" ELSE {table}.{expires} END"
    )
    params: list[str | int] = [value for k in keys for value in (k, ends)] + [now, now]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute(f"DELETE FROM {table} WHERE {expires} <= %s", [now])
