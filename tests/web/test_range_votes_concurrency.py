"""Races of the secret ballot on range amounts, on PostgreSQL with real threads: one vote per
code, nothing lost when the director closes while members vote.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaohe_ci .venv/bin/pytest tests/web/test_range_votes_concurrency.py
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kaohe.audit.models import AuditEvent
from kaohe.ledger import actions
from kaohe.ledger.models import Entry, RangeVote, RangeVoteCast, RangeVoteCode
from tests.web.range_votes_support import HEADS, cast, open_vote, pending
from tests.web.threads import RACES, in_threads

# Closing VACUUMs, which waits for every transaction of the server: run alone (`make pytest`).
pytestmark = [*RACES, pytest.mark.serial]


def members(w: Any, n: int) -> None:
    """The leader directing and `n` members voting by slip."""
    actions.office_member_add(
        by=w.office, year=w.year, name="李主任", post="分管领导", user=w.leader, directs=True
    )
    for i in range(n):
        post = HEADS[i % len(HEADS)]
        actions.office_member_add(by=w.office, year=w.year, name=f"成员{i}", post=post)


def cast_over_http(entry: Entry, code: str, amount: str) -> Callable[[], tuple[int, str]]:
    def job() -> tuple[int, str]:
        data = {"code": code, "step": "cast", f"a:{entry.pk}": amount}
        response = Client().post("/ledger/range-vote/", data)
        return response.status_code, response.content.decode()

    return job


def test_twenty_concurrent_casts_of_one_code_store_exactly_one_vote(world: Any) -> None:
    members(world, 6)
    [entry] = pending(world)
    _vote, codes = open_vote(world, [entry])
    results = in_threads([cast_over_http(entry, codes[0], "3") for _ in range(20)])
    bodies = Counter("您的票已投出" in body for _status, body in results)
    assert bodies == {True: 1, False: 19}
    assert all("已经投过票" in body for _s, body in results if "您的票已投出" not in body)
    assert RangeVoteCast.objects.count() == 1
    assert RangeVoteCode.objects.filter(used=True).count() == 1


def test_concurrent_casts_of_distinct_codes_are_all_stored(world: Any) -> None:
    members(world, 24)
    [entry] = pending(world)
    _vote, codes = open_vote(world, [entry])
    amounts = ["1", "2", "3", "4", "5", "2.5"]
    jobs = [cast_over_http(entry, c, amounts[i % 6]) for i, c in enumerate(codes)]
    results = in_threads(jobs)
    assert all("您的票已投出" in body for _status, body in results)
    assert RangeVoteCast.objects.count() == 24
    assert RangeVoteCode.objects.filter(used=True).count() == 24


def test_closing_while_members_vote_loses_no_vote_and_counts_each_once(world: Any) -> None:
    members(world, 28)
    [entry] = pending(world)
    vote, codes = open_vote(world, [entry])
    for code in codes[:16]:  # a quorum before the race
        cast(code, {entry: "4"})

    def close() -> Any:
        return actions.range_vote_close(by=world.leader, vote=vote)

    late = [cast_over_http(entry, c, "2") for c in codes[16:]]
    results = in_threads([*late, close])
    closing = results[-1]
    stored = RangeVoteCast.objects.count()
    assert RangeVoteCode.objects.filter(used=True).count() == stored  # no code used without a vote
    assert closing.voted == RangeVote.objects.get().outcome["voted"]
    accepted = sum("您的票已投出" in body for _s, body in results[:-1])
    assert stored == 16 + accepted
    assert closing.voted <= stored  # votes after the closing are refused, never half-counted
    assert closing.voted == stored  # the closing waits for casts under way; later ones are refused
    # once committed, VACUUM removes the old row versions the closing's rewrite left behind (run
    # again here: right after the closing, a cast still in its transaction may keep them visible)
    actions.range_votes_vacuum(by=None)
    assert not RangeVote.objects.get().vacuum_pending
    assert AuditEvent.objects.filter(action="range_vote_vacuum").exists()
