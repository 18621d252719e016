"""Helpers of the ballot tests: open a round on the `world` year, issue codes, post ballots."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.test import Client

from kaohe.ballots import actions
from kaohe.ballots.models import Round
from kaohe.ballots.validation import ABSTAIN, PREFIX
from kaohe.core.inputs import touch
from kaohe.years.models import Year

GROUPS = (("中层正职", 5), ("中层副职", 5))
GRADES = ("excellent", "good", "fair", "poor")


def set_options(year: Year, **options: Any) -> None:
    """Switch the year's ballot options (rules.md §2) before a round opens."""
    doc = dict(year.scheme_document)
    doc["evaluation"] = {
        **doc["evaluation"],
        "options": {**doc["evaluation"]["options"], **options},
    }
    year.scheme_document = doc
    year.save()
    touch(year.year)
    year.__dict__.pop("scheme", None)


def open_round(
    world: Any,
    kind: str = "democratic",
    period: str = "year",
    groups: Sequence[tuple[str, int]] = GROUPS,
) -> Round:
    """A round opened by the assessment office."""
    return actions.round_open(
        by=world.office, year=world.year, kind=kind, period=period, title="", groups=groups
    )


def issue(world: Any, round: Round) -> dict[str, list[str]]:
    """Issue every group's codes; the clear codes by group, in slip-number order."""
    out: dict[str, list[str]] = {}
    for c in actions.codes_issue(by=world.office, round=round):
        out.setdefault(c.group, []).append(c.code)
    return out


def ballot_data(
    round: Round, choices: Mapping[str, str], code: str, step: str = "submit"
) -> dict[str, str]:
    """A posted ballot: every department of the round, abstaining where `choices` is silent."""
    data = {"code": code, "step": step}
    for d in round.departments:
        data[PREFIX + d["code"]] = choices.get(d["code"], ABSTAIN)
    return data


def post_ballot(
    client: Client, round: Round, choices: Mapping[str, str], code: str, step: str = "submit"
) -> Any:
    """Post a ballot to the voter's page."""
    return client.post("/v/", ballot_data(round, choices, code, step))


@dataclass(frozen=True)
class Voted:
    """A round voted in a seeded order: who voted when, and with which (distinct) grades."""

    round: Round
    numbers: list[int]  # slip numbers in the order of voting
    grades: dict[int, dict[str, str]]  # slip number → the grades its ballot carries

    def voter_of(self, grades: Mapping[str, str]) -> int:
        """The slip number whose ballot carries these grades (each ballot's grades are unique)."""
        key = frozenset(grades.items())
        return next(n for n, g in self.grades.items() if frozenset(g.items()) == key)


def vote_in_seeded_order(world: Any, n: int, seed: int) -> Voted:
    """Open a round of one group, issue n codes and use them in a seeded order, one ballot each.

    Every ballot's grades differ (the three departments give 125 combinations), so that a test can
    tell which slip a stored ballot came from — exactly what nobody else may be able to tell.
    """
    assert n <= 125
    set_options(world.year, excellent_max_share=None)
    round = open_round(world, groups=[("中层正职", n)])
    codes = issue(world, round)["中层正职"]  # slip numbers 1..n
    rng = random.Random(seed)
    combos = list(itertools.product((*GRADES, ABSTAIN), repeat=3))
    rng.shuffle(combos)
    departments = [d["code"] for d in round.departments]
    grades = {
        number: {d: g for d, g in zip(departments, combo, strict=True) if g != ABSTAIN}
        for number, combo in zip(range(1, n + 1), combos, strict=False)
    }
    order = list(range(1, n + 1))
    rng.shuffle(order)
    for number in order:
        outcome = actions.ballot_submit(code=codes[number - 1], grades=grades[number])
        assert outcome is actions.Outcome.ACCEPTED
    return Voted(round, order, grades)


def at_chance(order: list[int]) -> bool:
    """Whether a sequence of voting positions looks like a random order, not the order of voting.

    A random order of n ballots puts about one in its own place and about one right after its
    predecessor in voting (Poisson with mean 1); more than 10 of either happens less than once in
    a hundred million runs, while the order of voting itself scores n on both.
    """
    in_place = sum(1 for i, position in enumerate(order) if position == i)
    successions = sum(1 for a, b in itertools.pairwise(order) if b == a + 1)
    return in_place <= 10 and successions <= 10
