"""The voter's responses are the same size whatever the grades: sizes sit in access logs and on the wire.

An access log line holds the client's address, the time and the response's size; without equal
sizes, the review page of a voter who marked everything excellent would say so in the log.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest
from django.test import Client

from kaohe.ballots.models import Round
from kaohe.ballots.validation import ABSTAIN
from kaohe.core.codes import code_display
from kaohe.years.models import YearDepartment
from tests.web.ballots_support import GRADES, issue, open_round, post_ballot, set_options
from tests.web.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

OPTIONS = (*GRADES, ABSTAIN)


@pytest.fixture
def wide(world: Any) -> tuple[Round, str]:
    """A round rating twelve departments, so that counts reach two digits; one unused code."""
    for i in range(9):
        d = DepartmentFactory(code=f"W{i}", name=f"第{i}号处", type="service")
        YearDepartment.objects.create(year=world.year, department=d, type=d.type)
    set_options(world.year, excellent_max_share="0.5")
    round = open_round(world, groups=[("中层正职", 2)])
    assert len(round.departments) == 12
    return round, issue(world, round)["中层正职"][0]


def choices(round: Round, pick: Any) -> dict[str, str]:
    """Every department's choice, abstaining ones included (the ballot helper drops nothing)."""
    return {d["code"]: pick(i) for i, d in enumerate(round.departments)}


def ballots_within_the_cap(round: Round) -> list[dict[str, str]]:
    """All-the-same ballots for each option the cap allows, and mixed ones."""
    rng = random.Random(12)
    uniform = [choices(round, lambda _i, o=o: o) for o in ("good", "fair", "poor", ABSTAIN)]
    mixed = []
    while len(mixed) < 12:
        ballot = choices(round, lambda _i: rng.choice(OPTIONS))
        graded = [g for g in ballot.values() if g != ABSTAIN]
        if graded.count("excellent") <= len(graded) / 2:
            mixed.append(ballot)
    half = choices(round, lambda i: "excellent" if i % 2 else "good")
    one = choices(round, lambda i: {0: "excellent", 1: "good"}.get(i, ABSTAIN))
    return [*uniform, *mixed, half, one]


def sizes(client: Client, round: Round, code: str, step: str, ballots: list[Any]) -> set[int]:
    out = set()
    for ballot in ballots:
        response = post_ballot(client, round, ballot, code, step=step)
        assert response.status_code in (200, 400), response.status_code
        out.add(len(response.content))
    return out


def test_the_review_page_is_the_same_size_whatever_the_grades(wide: tuple[Round, str]) -> None:
    round, code = wide
    pages = sizes(Client(), round, code, "review", ballots_within_the_cap(round))
    assert len(pages) == 1, pages


def test_the_ballot_page_is_the_same_size_whatever_the_grades(wide: tuple[Round, str]) -> None:
    round, code = wide
    pages = sizes(Client(), round, code, "edit", ballots_within_the_cap(round))
    assert len(pages) == 1, pages


def test_a_ballot_over_the_excellent_cap_is_refused_in_a_page_of_one_size(
    wide: tuple[Round, str],
) -> None:
    round, code = wide
    over = [
        choices(round, lambda i, n=n, m=m: "excellent" if i < n else ("good" if i < m else ABSTAIN))
        for n, m in itertools.product(range(2, 13), range(2, 13))
        if n > m / 2 and n <= m
    ]
    client = Client()
    for ballot in over:
        assert post_ballot(client, round, ballot, code).status_code == 400
    assert len(sizes(client, round, code, "review", over)) == 1


def test_the_code_page_and_the_end_pages_do_not_depend_on_what_was_typed_or_chosen(
    world: Any,
) -> None:
    round = open_round(world, groups=[("中层正职", 4)])
    codes = issue(world, round)["中层正职"]
    typed = [codes[0], code_display(codes[0]), code_display(codes[0]).lower(), f" {codes[0]} "]
    client = Client()
    pages = {len(client.post("/v/", {"code": t, "step": "code"}).content) for t in typed}
    assert len(pages) == 1, pages
    submitted = [
        post_ballot(client, round, ballot, code)
        for ballot, code in zip(
            ({"JS": "excellent"}, {"JS": "poor", "XX": "good", "BG": "fair"}, {}),
            codes,
            strict=False,
        )
    ]
    assert {(r.status_code, r["Location"], len(r.content)) for r in submitted} == {
        (302, "/v/thanks/", 0)
    }
    again = {len(post_ballot(client, round, {"JS": g}, codes[0]).content) for g in GRADES}
    assert len(again) == 1
