"""The guessing throttle: counted per code-guess pattern in the database, never per address.

A meeting room's phones leave through one address; someone trying to complete a code seen over a
shoulder tries many codes that share most of its printed groups. The throttle stops the second
without ever refusing the first.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from kaohe.ballots import actions, throttle
from kaohe.ballots.models import Ballot, GuessCount
from kaohe.core.codes import ALPHABET, LENGTH, code_display
from tests.web.ballots_support import open_round, post_ballot

pytestmark = pytest.mark.django_db

GOOD = {"JS": "excellent", "XX": "good", "BG": "fair"}
ROOM = "10.20.30.40"  # the meeting room's network, behind one address


def random_code(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def completion(code: str, rng: random.Random) -> str:
    """A guess at a code of which all but the last printed group is known."""
    while True:
        guess = code[:-4] + "".join(rng.choice(ALPHABET) for _ in range(4))
        if guess != code:
            return guess


def typo(code: str, rng: random.Random) -> str:
    """The code with one character mistyped."""
    i = rng.randrange(LENGTH)
    return code[:i] + rng.choice(ALPHABET.replace(code[i], "")) + code[i + 1 :]


def used(code: str) -> bool:
    row = actions.code_find(code)
    assert row is not None
    return row.used


def test_a_room_of_a_hundred_voters_votes_while_a_guesser_behind_its_address_is_stopped(
    world: Any, settings: Any
) -> None:
    assert settings.BALLOT_MAX_FAILURES == 30  # the default
    round = open_round(world, groups=[("中层正职", 101)])
    codes = [c.code for c in actions.codes_issue(by=world.office, round=round)]
    voters, absent = codes[:100], codes[100]  # the 101st slip's holder has not come
    room, guesser = Client(REMOTE_ADDR=ROOM), Client(REMOTE_ADDR=ROOM)
    rng = random.Random(7)
    mine: Counter[int] = Counter()
    guessed: list[int] = []
    for i, code in enumerate(voters):
        if i % 3 == 0:  # every third voter mistypes first
            assert post_ballot(room, round, GOOD, typo(code, rng)).status_code == 403
        for _ in range(2):  # blind guesses: never a pattern
            assert post_ballot(guesser, round, GOOD, random_code(rng)).status_code == 403
        guessed.append(post_ballot(guesser, round, GOOD, completion(absent, rng)).status_code)
        mine[post_ballot(room, round, GOOD, code_display(code)).status_code] += 1
    assert mine == {302: 100}
    assert Ballot.objects.count() == 100
    # The guesser trying to complete the absent voter's code got 30 refusals, then nothing.
    assert guessed == [403] * 30 + [429] * 70
    # Even the right completion is refused now, and the code is not used up.
    assert post_ballot(guesser, round, GOOD, absent).status_code == 429
    assert not used(absent)


def test_the_count_is_shared_by_every_worker_and_keeps_no_address(
    world: Any, settings: Any
) -> None:
    settings.BALLOT_MAX_FAILURES = 3
    round = open_round(world, groups=[("中层正职", 1)])
    [code] = [c.code for c in actions.codes_issue(by=world.office, round=round)]
    rng = random.Random(1)
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # three networks, one count
        assert (
            post_ballot(Client(REMOTE_ADDR=address), round, {}, completion(code, rng)).status_code
            == 403
        )
    cache.clear()  # another worker process has nothing of this one's memory
    assert post_ballot(Client(REMOTE_ADDR="10.0.0.4"), round, {}, code).status_code == 429
    rows = list(GuessCount.objects.values_list("key", "count", "expires"))
    assert rows and not any("10.0.0" in str(value) for row in rows for value in row)
    # A keyed hash per printed group of the refused code, its count and when the count expires.
    assert sorted(n for _key, n, _expires in rows) == [1, 1, 1, 3, 3, 3, 3, 3, 3]
    assert all(len(key) == 32 and set(key) <= set("0123456789abcdef") for key, _n, _e in rows)


def test_the_block_ends_with_the_window(
    world: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.BALLOT_MAX_FAILURES = 2
    round = open_round(world, groups=[("中层正职", 1)])
    [code] = [c.code for c in actions.codes_issue(by=world.office, round=round)]
    rng = random.Random(2)
    now = 1_900_000_000
    monkeypatch.setattr(throttle, "_now", lambda: now)
    for _ in range(2):
        assert post_ballot(Client(), round, GOOD, completion(code, rng)).status_code == 403
    assert post_ballot(Client(), round, GOOD, code).status_code == 429
    now += settings.BALLOT_FAILURE_WINDOW
    assert post_ballot(Client(), round, GOOD, code).status_code == 302
    # The expired counts are deleted with the next refusal.
    assert post_ballot(Client(), round, GOOD, random_code(rng)).status_code == 403
    assert GuessCount.objects.filter(expires__lte=now).count() == 0


def test_input_that_cannot_be_a_code_is_refused_without_counting(world: Any, settings: Any) -> None:
    settings.BALLOT_MAX_FAILURES = 3
    round = open_round(world, groups=[("中层正职", 1)])
    [code] = [c.code for c in actions.codes_issue(by=world.office, round=round)]
    for garbage in ("", "not a code", code[:-1], code + "0", "U" * LENGTH) * 3:
        assert post_ballot(Client(), round, GOOD, garbage).status_code == 403
    assert not GuessCount.objects.exists()
    assert post_ballot(Client(), round, GOOD, code).status_code == 302


def test_the_voters_lookup_reads_the_code_and_the_throttle_in_one_statement(
    world: Any, settings: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kaohe.core.codes import code_normalise

    round = open_round(world)
    code = code_normalise(actions.codes_issue(by=world.office, round=round)[0].code)
    unknown = code_normalise(random_code(random.Random(7)))
    assert code is not None and unknown is not None
    with CaptureQueriesContext(connection) as queries:
        found, throttled = actions.voter_code_find(code)
    assert len(queries) == 1 and not throttled and found is not None
    # the same row, with the same converted values, as the ORM reads it
    orm = actions.code_find(code)
    assert orm is not None and found.pk == orm.pk and found.group.name == orm.group.name
    for field in ("status", "departments", "grades", "options", "opened_at", "year_id"):
        assert getattr(found.round, field) == getattr(orm.round, field)
    assert str(found.round.year) == str(orm.round.year) and found.round.tally is None
    assert actions.voter_code_find(unknown) == (None, False)
    settings.BALLOT_MAX_FAILURES = 1
    guess, other = (code[:-4] + tail for tail in ("0000", "ZZZZ") if tail != code[-4:])
    throttle.note_refusal(guess)
    # throttled: the known code (its row not even read) and an unknown one sharing its groups,
    # each in one statement
    assert actions.voter_code_find(code) == (None, True) and throttle.is_throttled(code)
    with CaptureQueriesContext(connection) as queries:
        assert actions.voter_code_find(other) == (None, True)
    assert len(queries) == 1
