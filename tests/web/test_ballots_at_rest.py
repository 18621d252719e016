"""Anonymity at rest: once a round is closed, nothing stored links a ballot to its code or its time.

While a round is open, a database administrator can still join a ballot to its code (docs/ballots.md
says exactly how); closing rewrites the round's ballots and codes and removes the old row versions.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, OperationalError, connection, transaction
from django.test import Client

from kaohe.audit.models import AuditEvent
from kaohe.ballots import actions, sealing, selectors
from kaohe.ballots.models import Ballot, BallotCode, Round
from kaohe.ballots.tally import close_tally
from tests.web.ballots_support import (
    Voted,
    at_chance,
    issue,
    open_round,
    post_ballot,
    vote_in_seeded_order,
)

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
on_postgres = pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's system columns and pg_dump")
# VACUUM keeps the row versions that any transaction of the server still running might see, in
# another database too (another xdist worker's test): these run alone (`make pytest`).
pytestmark = pytest.mark.serial
on_sqlite = pytest.mark.skipif(POSTGRES, reason="SQLite's rowid and database file")


def close(world: Any, voted: Voted) -> Round:
    return actions.round_close(by=world.office, round=Round.objects.get(pk=voted.round.pk))


def voting_positions(voted: Voted, ballots: list[dict[str, str]]) -> list[int]:
    """For stored ballots in some order, the position at which each was cast."""
    return [voted.numbers.index(voted.voter_of(g)) for g in ballots]


# --- both databases ----------------------------------------------------------------------------


def test_closing_rewrites_the_ballots_under_new_ids_and_keeps_every_grade(world: Any) -> None:
    voted = vote_in_seeded_order(world, 40, seed=1)
    before = list(Ballot.objects.filter(round=voted.round).order_by("id"))
    codes = set(BallotCode.objects.values_list("id", "number", "digest", "used", "revoked"))
    expected = close_tally(voted.round, before)
    closed = close(world, voted)
    after = list(Ballot.objects.filter(round=closed))
    assert not {b.id for b in before} & {b.id for b in after}
    assert all(b.id.version == 4 for b in after)
    assert sorted(json.dumps(b.grades, sort_keys=True) for b in before) == sorted(
        json.dumps(b.grades, sort_keys=True) for b in after
    )
    assert set(BallotCode.objects.values_list("id", "number", "digest", "used", "revoked")) == codes
    assert closed.tally == expected
    assert closed.vacuum_pending  # no commit inside a test transaction, so no VACUUM yet


def test_voting_writes_one_ballot_and_no_other_row_anywhere(world: Any) -> None:
    round = open_round(world, groups=[("中层正职", 2)])
    code = issue(world, round)["中层正职"][0]

    def rows() -> dict[str, int]:
        with connection.cursor() as cursor:
            out = {}
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
                out[table] = cursor.fetchone()[0]
            return out

    before = rows()
    client = Client()
    client.get("/v/")
    client.post("/v/", {"code": code, "step": "code"})
    post_ballot(client, round, {"JS": "good"}, code, step="review")
    assert post_ballot(client, round, {"JS": "good"}, code).status_code == 302
    client.get("/v/thanks/")
    after = rows()
    # No session, no audit row, no throttle count: nothing but the ballot holds the moment.
    assert {t: after[t] - before[t] for t in after if after[t] != before[t]} == {
        "ballots_ballot": 1
    }


@pytest.mark.django_db(transaction=True)
def test_a_cleanup_that_did_not_run_stays_pending_and_runs_again(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    voted = vote_in_seeded_order(world, 30, seed=2)

    def dies(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("the server went away")

    monkeypatch.setattr(sealing, "_vacuum_tables", dies)
    closed = close(world, voted)
    closed.refresh_from_db()
    assert closed.vacuum_pending
    page = world.client(world.office).get(f"/ballots/rounds/{closed.pk}/").content.decode()
    assert "kaohe ballots_vacuum" in page
    tally = closed.tally
    exported = sorted(map(tuple, selectors.shuffled_ballot_rows(closed)[1]))
    monkeypatch.undo()
    call_command("ballots_vacuum")
    closed.refresh_from_db()
    assert not closed.vacuum_pending
    assert AuditEvent.objects.filter(action="round_vacuum", target_id=str(closed.pk)).exists()
    assert closed.tally == tally
    assert sorted(map(tuple, selectors.shuffled_ballot_rows(closed)[1])) == exported
    page = world.client(world.office).get(f"/ballots/rounds/{closed.pk}/").content.decode()
    assert "kaohe ballots_vacuum" not in page
    call_command("ballots_vacuum")  # again: nothing pending, nothing changes
    assert sorted(map(tuple, selectors.shuffled_ballot_rows(closed)[1])) == exported


# --- SQLite: rowid order and the file's bytes ------------------------------------------------------


def sqlite_files() -> bytes:
    name = Path(connection.settings_dict["NAME"])
    wal = name.with_name(name.name + "-wal")
    return name.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_on_sqlite_the_rowid_order_of_a_closed_round_is_not_the_order_of_voting(
    world: Any,
) -> None:
    voted = vote_in_seeded_order(world, 120, seed=2016)
    query = "SELECT grades FROM ballots_ballot WHERE round_id = %s ORDER BY rowid"

    def stored() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(query, [voted.round.pk])
            return voting_positions(voted, [json.loads(g) for (g,) in cursor.fetchall()])

    assert stored() == list(range(120))  # while open, the rowid is the order of voting
    close(world, voted)
    order = stored()
    assert sorted(order) == list(range(120))
    assert at_chance(order)


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_on_sqlite_the_file_keeps_no_deleted_copy_of_a_ballot(world: Any) -> None:
    voted = vote_in_seeded_order(world, 60, seed=9)
    old_ids = [b.hex.encode() for b in Ballot.objects.values_list("id", flat=True)]
    assert all(i in sqlite_files() for i in old_ids)
    close(world, voted)
    data = sqlite_files()
    assert not [i for i in old_ids if i in data]
    for grades in voted.grades.values():
        if grades:  # a blank ballot's {} is everywhere
            assert data.count(json.dumps(grades).encode()) == 1
    assert not Round.objects.get(pk=voted.round.pk).vacuum_pending


# --- PostgreSQL: system columns, physical order, pg_dump -------------------------------------


def pg_rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_dict(grades: Any) -> dict[str, str]:
    """A jsonb value as the driver hands it over: text or already decoded."""
    return grades if isinstance(grades, dict) else json.loads(grades)


def xmin_joins(round: Round) -> int:
    sql = """SELECT count(*) FROM ballots_ballot b JOIN ballots_ballotcode c ON c.xmin = b.xmin
             WHERE b.round_id = %s AND c.round_id = %s"""
    return int(pg_rows(sql, [round.pk, round.pk])[0][0])


def raw_xmin_joins() -> int | None:
    """Row versions of the two tables, dead ones too, that share a transaction id (pageinspect).

    None where the extension cannot be created (it needs a superuser).
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    except DatabaseError:
        return None
    versions = """SELECT t_xmin FROM generate_series(
                      0, pg_relation_size('{t}') / current_setting('block_size')::int - 1) AS p,
                  LATERAL heap_page_items(get_raw_page('{t}', p::int)) WHERE t_xmin IS NOT NULL"""
    ballots, codes = versions.format(t="ballots_ballot"), versions.format(t="ballots_ballotcode")
    sql = f"SELECT count(*) FROM ({ballots}) b JOIN ({codes}) c USING (t_xmin)"
    return int(pg_rows(sql, [])[0][0])


def pg_dump_rows(table: str) -> list[dict[str, str]]:
    """The rows of one table in the order `pg_dump --data-only` writes them."""
    db = connection.settings_dict
    command = ["pg_dump", "--data-only", "-t", table, "-h", db["HOST"] or "127.0.0.1"]
    command += ["-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres", db["NAME"]]
    out = subprocess.run(command, capture_output=True, check=True, text=True).stdout.splitlines()
    start = next(i for i, line in enumerate(out) if line.startswith(f"COPY public.{table} "))
    columns = out[start].split("(", 1)[1].split(")", 1)[0].replace('"', "").split(", ")
    rows = out[start + 1 : out.index("\\.", start)]
    return [dict(zip(columns, line.split("\t"), strict=True)) for line in rows]


def ballot_orders(voted: Voted) -> dict[str, list[int]]:
    """The round's ballots in every order the database offers, as voting positions."""
    orders = {}
    for name, order in (("ctid", "ctid"), ("xmin", "xmin::text::bigint, ctid"), ("id", "id")):
        sql = f"SELECT grades FROM ballots_ballot WHERE round_id = %s ORDER BY {order}"
        orders[name] = voting_positions(
            voted, [as_dict(g) for (g,) in pg_rows(sql, [voted.round.pk])]
        )
    dumped = [r for r in pg_dump_rows("ballots_ballot") if r["round_id"] == str(voted.round.pk)]
    orders["pg_dump"] = voting_positions(voted, [as_dict(r["grades"]) for r in dumped])
    return orders


def code_orders(voted: Voted) -> dict[str, list[int]]:
    """The round's used codes in every order the database offers, as voting positions."""
    orders = {}
    for name, order in (
        ("ctid", "ctid"),
        ("xmin", "xmin::text::bigint, ctid"),
        ("id", "id"),
        ("number", "number"),
        ("digest", "digest"),
    ):
        sql = f"SELECT number FROM ballots_ballotcode WHERE round_id = %s AND used ORDER BY {order}"
        orders[name] = [voted.numbers.index(n) for (n,) in pg_rows(sql, [voted.round.pk])]
    dumped = pg_dump_rows("ballots_ballotcode")
    mine = [r for r in dumped if r["round_id"] == str(voted.round.pk) and r["used"] == "t"]
    orders["pg_dump"] = [voted.numbers.index(int(r["number"])) for r in mine]
    return orders


def linked_pairs(voted: Voted) -> dict[str, int]:
    """Ballots paired with codes by rank in each pair of orders: how many pairs are true."""
    ballots, codes = ballot_orders(voted), code_orders(voted)
    return {
        f"{b} ~ {c}": sum(1 for x, y in zip(bo, co, strict=True) if x == y)
        for b, bo in ballots.items()
        for c, co in codes.items()
    }


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_no_system_column_order_or_dump_links_a_closed_ballot_to_its_code(
    world: Any,
) -> None:
    voted = vote_in_seeded_order(world, 120, seed=2016)
    # While the round is open the link is there (docs/ballots.md says so): the test can fail.
    assert xmin_joins(voted.round) == 120
    assert max(linked_pairs(voted).values()) == 120
    raw = raw_xmin_joins()
    assert raw is None or raw >= 120
    close(world, voted)
    assert not Round.objects.get(pk=voted.round.pk).vacuum_pending
    assert xmin_joins(voted.round) == 0
    assert raw is None or raw_xmin_joins() == 0  # no old row version left in the files either
    pairs = linked_pairs(voted)
    assert all(n <= 10 for n in pairs.values()), pairs  # chance pairs about one of 120
    for order in ballot_orders(voted).values():
        assert at_chance(order)
    # ctid equality, and every column of one table against every column of the other
    ctid = """SELECT b.grades, c.number FROM ballots_ballot b
              JOIN ballots_ballotcode c ON b.ctid = c.ctid AND c.used
              WHERE b.round_id = %s AND c.round_id = %s"""
    rows = pg_rows(ctid, [voted.round.pk, voted.round.pk])
    assert sum(1 for grades, number in rows if voted.voter_of(as_dict(grades)) == number) <= 10
    for b in ("id", "group", "grades"):
        for c in ("id", "number", "digest", "used", "revoked", "group_id"):
            sql = f"""SELECT count(*) FROM ballots_ballot b JOIN ballots_ballotcode c
                      ON b."{b}"::text = c."{c}"::text WHERE b.round_id = %s"""
            assert pg_rows(sql, [voted.round.pk]) == [(0,)], (b, c)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_cleanup_waits_for_a_transaction_that_still_sees_the_old_rows(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    voted = vote_in_seeded_order(world, 20, seed=4)
    db = connection.settings_dict
    reader = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
    )
    # A report that began before the closing: its snapshot still sees the old row versions.
    reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    reader.execute("SELECT count(*) FROM ballots_ballot")
    monkeypatch.setattr(sealing, "RETRY_PAUSES", (0.0, 0.0))
    close(world, voted)
    assert Round.objects.get(pk=voted.round.pk).vacuum_pending  # VACUUM FULL had to keep them
    assert raw_xmin_joins() in (None, 20)
    reader.rollback()
    reader.close()
    call_command("ballots_vacuum")
    assert not Round.objects.get(pk=voted.round.pk).vacuum_pending
    assert raw_xmin_joins() in (None, 0)
