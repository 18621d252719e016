"""A process killed (SIGKILL) in the middle of an action leaves the database as if it never ran.

Each test runs one action in a child process (tests/web/fault_child.py) against this test's
database; the child pauses inside the action's transaction, after its writes and before its commit,
and is killed there. Then nothing of it is stored: no batch or entry, no used code without its
ballot, the round still open with its ballots as they were, no version — and the action can be
done again. On SQLite, and on PostgreSQL when DATABASE_URL names it.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from kaohe.audit.choices import AuditAction
from kaohe.audit.models import AuditEvent
from kaohe.ballots.actions import Outcome, ballot_submit, round_close
from kaohe.ballots.models import Ballot, BallotCode, Round, RoundStatus
from kaohe.ledger.actions import BatchRow, entries_batch_record
from kaohe.ledger.models import Batch, Entry
from kaohe.results.models import Publication
from kaohe.results.selectors import year_proposal
from tests.web.ballots_support import issue, open_round, vote_in_seeded_order
from tests.web.conftest import World
from tests.web.results_support import hold_rounds, publish

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    user = f"{conf['USER']}:{conf['PASSWORD']}" if conf["PASSWORD"] else conf["USER"]
    return f"postgres://{user}@{conf['HOST']}:{conf['PORT'] or 5432}/{conf['NAME']}"


def killed_midway(scenario: str, **arguments: Any) -> None:
    """Run the scenario in a child, wait until it pauses inside its transaction, SIGKILL it."""
    env = {**os.environ, "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.web.fault_child", scenario, json.dumps(arguments)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        ready, _w, _x = select.select([child.stdout], [], [], 120)
        line = child.stdout.readline() if ready else ""
        assert line == "PAUSED\n", (line, child.stderr.read() if child.poll() is not None else "")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        assert child.stderr is not None
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    if connection.vendor == "postgresql":
        settled()


def settled() -> None:
    """PostgreSQL ends the killed backend's transaction once it sees the socket closed."""
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


def audit_count(action: AuditAction) -> int:
    return AuditEvent.objects.filter(action=action).count()


ROWS = [
    {"line": 2, "department": "JS", "rule_id": "1.report_missed", "period": "H1", "count": 1},
    {"line": 3, "department": "XX", "rule_id": "1.report_missed", "period": "H1", "count": 2},
    {"line": 4, "department": "BG", "rule_id": "1.target_unmet", "period": "year", "count": 1},
]


def test_a_batch_import_killed_midway_saves_no_row(world: World) -> None:
    entries = Entry.objects.count()
    batch = {"by": world.clerk_zh.pk, "year": 2016, "office": "ZH", "rows": ROWS, "batch_id": "b1"}
    killed_midway("batch", **batch)
    assert Entry.objects.count() == entries
    assert not Batch.objects.exists()
    assert audit_count(AuditAction.ENTRIES_BATCH_RECORD) == 0
    assert audit_count(AuditAction.ENTRY_RECORD) == 0
    # and the same batch can be saved afterwards
    rows = [BatchRow(**row) for row in ROWS]  # type: ignore[arg-type]
    entries_batch_record(by=world.clerk_zh, year=world.year, office="ZH", rows=rows, batch_id="b1")
    assert Entry.objects.count() == entries + len(ROWS)


def test_a_ballot_killed_between_using_the_code_and_storing_the_ballot_is_not_cast(
    world: World,
) -> None:
    round = open_round(world)
    code = next(iter(issue(world, round).values()))[0]
    grades = {d["code"]: "good" for d in round.departments}
    killed_midway("ballot", code=code, grades=grades)
    assert not BallotCode.objects.filter(used=True).exists()
    assert not Ballot.objects.exists()
    # the code still votes, once
    assert ballot_submit(code=code, grades=grades) is Outcome.ACCEPTED
    assert BallotCode.objects.filter(used=True).count() == Ballot.objects.count() == 1


def round_state(round: Round) -> tuple[Any, ...]:
    ballots = sorted(
        (str(b.id), json.dumps(b.grades, sort_keys=True))
        for b in Ballot.objects.filter(round=round)
    )
    codes = sorted(
        BallotCode.objects.filter(round=round).values_list("id", "digest", "used", "revoked")
    )
    fresh = Round.objects.get(pk=round.pk)
    return fresh.status, fresh.tally, fresh.closed_at, ballots, codes


def test_a_round_closing_killed_midway_leaves_the_round_open_and_its_ballots_as_they_were(
    world: World,
) -> None:
    voted = vote_in_seeded_order(world, 6, seed=2)
    before = round_state(voted.round)
    assert before[0] == RoundStatus.OPEN and len(before[3]) == 6
    killed_midway("close", by=world.office.pk, round=voted.round.pk)
    assert round_state(voted.round) == before
    assert audit_count(AuditAction.ROUND_CLOSE) == 0
    # and it closes afterwards
    closed = round_close(by=world.office, round=Round.objects.get(pk=voted.round.pk))
    assert closed.status == RoundStatus.CLOSED and Ballot.objects.filter(round=closed).count() == 6


def test_a_publication_killed_midway_leaves_no_version(world: World) -> None:
    hold_rounds(world.year)
    digest = year_proposal(world.year).digest
    killed_midway("publication", by=world.party.pk, year=2016)
    assert not Publication.objects.exists()
    assert audit_count(AuditAction.PUBLICATION_CONFIRM) == 0
    assert year_proposal(world.year).digest == digest
    # and the year publishes afterwards, as version 1
    assert publish(world.year, by=world.party).number == 1
