"""The child of tests/web/test_faults.py: run one action, pause inside its transaction, wait to die.

    python -m tests.web.fault_child SCENARIO '{"json": "arguments"}'

DATABASE_URL names the parent's test database. A function the action calls after its writes and
before its commit is wrapped: it prints PAUSED, flushes, and sleeps until the parent SIGKILLs this
process. If it ever gets past the pause, it prints FINISHED (the parent then fails).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

import django


def paused(original: Callable[..., Any], *, before: bool = False) -> Callable[..., Any]:
    """`original`, pausing after it ran (or before it runs): the transaction's writes are made."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if before:
            pause()
        result = original(*args, **kwargs)
        pause()
        return result

    return wrapper


def pause() -> None:
    sys.stdout.write("PAUSED\n")
    sys.stdout.flush()
    time.sleep(120)


def batch(arguments: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from kaohe.ledger.actions import BatchRow, entries_batch_record
    from kaohe.years.models import Year

    module = import_module("kaohe.ledger.actions.batch")
    module.audit_record = paused(module.audit_record)
    rows = [BatchRow(**row) for row in arguments["rows"]]
    entries_batch_record(
        by=get_user_model().objects.get(pk=arguments["by"]),
        year=Year.objects.get(year=arguments["year"]),
        office=arguments["office"],
        rows=rows,
        batch_id=arguments["batch_id"],
    )


def ballot(arguments: dict[str, Any]) -> None:
    from django.db import connection, transaction

    voting = import_module("kaohe.ballots.actions.voting")
    if connection.vendor == "postgresql":
        # One statement uses up the code and stores the ballot; in autocommit it is its own
        # transaction, so here it runs in an outer one that is killed after the statement.
        voting._submit_at_once = paused(voting._submit_at_once)
        with transaction.atomic():
            voting.ballot_submit(code=arguments["code"], grades=arguments["grades"])
        return
    # between using up the code and storing its ballot
    voting._store_ballot = paused(voting._store_ballot, before=True)
    voting.ballot_submit(code=arguments["code"], grades=arguments["grades"])


def close(arguments: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from kaohe.ballots.models import Round

    rounds = import_module("kaohe.ballots.actions.rounds")
    rounds._audit = paused(rounds._audit)
    by = get_user_model().objects.get(pk=arguments["by"])
    rounds.round_close(by=by, round=Round.objects.get(pk=arguments["round"]))


def publication(arguments: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from kaohe.years.models import Year
    from tests.web.results_support import publish

    module = import_module("kaohe.results.actions.publication")
    module.audit_record = paused(module.audit_record)
    by = get_user_model().objects.get(pk=arguments["by"])
    publish(Year.objects.get(year=arguments["year"]), by=by)


SCENARIOS = {"batch": batch, "ballot": ballot, "close": close, "publication": publication}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    django.setup()
    SCENARIOS[sys.argv[1]](json.loads(sys.argv[2]))
    sys.stdout.write("FINISHED\n")
