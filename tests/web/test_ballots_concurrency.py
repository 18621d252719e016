"""Races on PostgreSQL with real threads: one ballot per code, nothing lost, nothing half-written.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaohe_ci .venv/bin/pytest tests/web/test_ballots_concurrency.py
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DataError, transaction
from django.test import Client

from kaohe.ballots import actions
from kaohe.ballots.actions import voting
from kaohe.ballots.models import Ballot, BallotCode, GuessCount, Round, RoundStatus
from tests.web.ballots_support import ballot_data, issue, open_round
from tests.web.threads import RACES, in_threads

pytestmark = RACES


GRADES = {"JS": "excellent", "XX": "good", "BG": "fair"}


def submit_over_http(round: Round, code: str) -> Callable[[], tuple[int, str]]:
    def job() -> tuple[int, str]:
        response = Client().post("/v/", ballot_data(round, GRADES, code))
        return response.status_code, response.content.decode()

    return job


def test_twenty_concurrent_submissions_of_one_code_store_exactly_one_ballot(world: Any) -> None:
    round = open_round(world, groups=[("中层正职", 1)])
    [code] = issue(world, round)["中层正职"]
    results = in_threads([submit_over_http(round, code) for _ in range(20)])
    statuses = Counter(status for status, _body in results)
    assert statuses == {302: 1, 200: 19}
    assert all("已经提交" in body for status, body in results if status == 200)
    assert Ballot.objects.count() == 1
    assert BallotCode.objects.get().used


def test_two_hundred_concurrent_submissions_of_distinct_codes_store_two_hundred_ballots(
    world: Any,
) -> None:
    round = open_round(world, groups=[("中层正职", 120), ("中层副职", 80)])
    codes = [c for group in issue(world, round).values() for c in group]
    results = in_threads([submit_over_http(round, code) for code in codes])
    assert Counter(status for status, _body in results) == {302: 200}
    assert Ballot.objects.count() == 200
    assert BallotCode.objects.filter(used=True).count() == 200
    assert dict(Counter(Ballot.objects.values_list("group", flat=True))) == {
        "中层正职": 120,
        "中层副职": 80,
    }


def test_a_failure_between_using_the_code_and_storing_the_ballot_leaves_the_code_unused(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    round = open_round(world, groups=[("中层正职", 1)])
    [code] = issue(world, round)["中层正职"]
    # The one statement's insert fails after its update has used the code up.
    failing = voting._SUBMIT_SQL.replace("%s::jsonb FROM won", "%s::jsonb FROM won WHERE 1 / 0 = 1")
    monkeypatch.setattr(voting, "_SUBMIT_SQL", failing)
    with pytest.raises(DataError), transaction.atomic():
        actions.ballot_submit(code=code, grades=GRADES)
    assert not BallotCode.objects.get().used
    assert Ballot.objects.count() == 0
    monkeypatch.undo()
    assert actions.ballot_submit(code=code, grades=GRADES) is actions.Outcome.ACCEPTED
    assert Ballot.objects.count() == 1


def test_closing_waits_for_a_ballot_already_being_stored(world: Any) -> None:
    round = open_round(world, groups=[("中层正职", 1)])
    [code] = issue(world, round)["中层正职"]
    storing = threading.Event()

    def vote() -> Any:
        with transaction.atomic():  # the submission's statement has run; its commit is late
            outcome = actions.ballot_submit(code=code, grades=GRADES)
            storing.set()
            threading.Event().wait(1.0)
        return outcome

    def close() -> Any:
        assert storing.wait(timeout=30)
        return actions.round_close(by=world.office, round=Round.objects.get(pk=round.pk))

    outcome, closed = in_threads([vote, close])
    assert outcome is actions.Outcome.ACCEPTED
    assert closed.tally["ballots"] == 1 == Ballot.objects.count()


def test_a_ballot_arriving_while_the_round_closes_is_refused(world: Any) -> None:
    round = open_round(world, groups=[("中层正职", 1)])
    [code] = issue(world, round)["中层正职"]
    closing = threading.Event()

    def close() -> Any:
        with transaction.atomic():  # the round locked for closing; the commit is late
            closed = actions.round_close(by=world.office, round=Round.objects.get(pk=round.pk))
            closing.set()
            threading.Event().wait(1.0)
        return closed

    def vote() -> Any:
        assert closing.wait(timeout=30)
        return actions.ballot_submit(code=code, grades=GRADES)

    closed, outcome = in_threads([close, vote])
    assert outcome is actions.Outcome.REFUSED
    assert closed.tally["ballots"] == 0 == Ballot.objects.count()
    assert not BallotCode.objects.filter(used=True).exists()


def test_closing_while_ballots_arrive_counts_every_stored_ballot(world: Any) -> None:
    round = open_round(world, groups=[("中层正职", 40)])
    codes = issue(world, round)["中层正职"]

    def close() -> tuple[int, str]:
        actions.round_close(by=world.office, round=Round.objects.get(pk=round.pk))
        return 0, ""

    jobs = [submit_over_http(round, code) for code in codes]
    jobs.insert(20, close)
    results = in_threads(jobs)
    accepted = sum(1 for status, _body in results if status == 302)
    refused = sum(1 for status, _body in results if status == 403)
    assert accepted + refused == 40
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED
    assert round.tally is not None
    assert round.tally["ballots"] == accepted == Ballot.objects.count()
    assert BallotCode.objects.filter(used=True).count() == accepted


def test_refusals_from_many_workers_at_once_are_all_counted(world: Any, settings: Any) -> None:
    settings.BALLOT_MAX_FAILURES = 200  # count them all; none is refused for the count itself
    round = open_round(world, groups=[("中层正职", 1)])
    [code] = issue(world, round)["中层正职"]
    # Forty guesses that share the code's first six printed groups, all at once.
    guesses = [
        code[:-4] + f"{i:04d}".translate(str.maketrans("0123456789", "ABCDEFGHJK"))
        for i in range(40)
    ]
    assert code not in guesses
    results = in_threads([submit_over_http(round, guess) for guess in guesses])
    assert Counter(status for status, _body in results) == {403: 40}
    counts = Counter(GuessCount.objects.values_list("count", flat=True))
    assert counts[40] == 6  # the six shared groups: not one refusal lost between workers
    settings.BALLOT_MAX_FAILURES = 40
    assert submit_over_http(round, code)()[0] == 429


ALREADY = "这一轮测评已经开启过"
NOT_OFFERED = "选择一个有效的选项"


def open_over_http(world: Any, kind: str = "democratic") -> Callable[[], tuple[int, str]]:
    client = Client()
    client.force_login(world.office)
    data = {"round": f"{kind}:year", "group_1": "中层正职", "size_1": "5"}

    def job() -> tuple[int, str]:
        response = client.post(f"/ballots/{world.year.year}/rounds/open/", data)
        return response.status_code, response.get("Location") or response.content.decode()

    return job


def test_ten_concurrent_openings_of_one_round_open_it_once_and_answer_in_chinese(
    world: Any,
) -> None:
    results = in_threads([open_over_http(world) for _ in range(10)])
    statuses = Counter(status for status, _body in results)
    assert statuses == {302: 1, 200: 9}
    # Refused either by the action (opened meanwhile) or by the form (no longer offered).
    assert all(ALREADY in body or NOT_OFFERED in body for s, body in results if s == 200)
    assert Round.objects.count() == 1
    assert Round.objects.get().groups.count() == 1


def test_opening_a_round_while_another_kind_opens_and_one_closes_opens_each_once(
    world: Any,
) -> None:
    closing = open_round(world, kind="democratic", period="year")
    issue(world, closing)

    def close() -> tuple[int, str]:
        actions.round_close(by=world.office, round=Round.objects.get(pk=closing.pk))
        return 0, "closed"

    jobs = [open_over_http(world, kind="leader") for _ in range(5)] + [close]
    results = in_threads(jobs)
    assert Counter(status for status, _body in results) == {302: 1, 200: 4, 0: 1}
    assert all(ALREADY in body or NOT_OFFERED in body for s, body in results if s == 200)
    assert Round.objects.filter(kind="leader").count() == 1
    assert Round.objects.get(pk=closing.pk).status == RoundStatus.CLOSED
