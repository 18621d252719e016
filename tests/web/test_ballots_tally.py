"""A round's tally at closing, against points worked out by hand (rules.md §2).

The world's departments: JS and XX are `service` (democratic 10 points, style 10, leader 10), BG is
`general` (democratic 20, style not rated, leader 10). Coefficients: 优秀 1, 良好 0.8, 一般 0.6, 较差 0.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kaohe.ballots import actions
from kaohe.ballots.models import Round
from tests.web.ballots_support import issue, open_round, post_ballot, set_options

pytestmark = pytest.mark.django_db


E, G, F, P = "excellent", "good", "fair", "poor"


def close_with(world: Any, round: Round, ballots: list[dict[str, str]]) -> dict[str, Any]:
    codes = [c for group in issue(world, round).values() for c in group]
    for code, grades in zip(codes, ballots, strict=False):
        assert post_ballot(Client(), round, grades, code).status_code == 302
    return actions.round_close(by=world.office, round=round).tally or {}


def points(tally: dict[str, Any]) -> dict[str, str | None]:
    return {d["code"]: d["display"] for d in tally["departments"]}


def test_abstentions_blank_ballots_and_10_vs_20_point_departments(world: Any) -> None:
    round = open_round(world, groups=[("中层正职", 6)])
    tally = close_with(
        world,
        round,
        [
            {"JS": E, "XX": G, "BG": F},
            {"JS": G, "BG": E},  # abstains for XX
            {"JS": F, "XX": P, "BG": G},
            {},  # blank: turnout only
            {"JS": E, "XX": E, "BG": P},
        ],
    )
    # JS: (1 + .8 + .6 + 1) / 4 = .85 of 10; XX: (.8 + 0 + 1) / 3 = .6 of 10;
    # BG: (.6 + 1 + .8 + 0) / 4 = .6 of 20.
    assert points(tally) == {"BG": "12.00", "JS": "8.50", "XX": "6.00"}
    assert (tally["ballots"], tally["blank"], tally["invalid"]) == (5, 1, 0)
    js = next(d for d in tally["departments"] if d["code"] == "JS")
    assert js["grades"] == {E: 2, G: 1, F: 1} and js["available"] == "10"
    assert js["counts"] == [["优秀", 2], ["良好", 1], ["一般", 1]]


def test_repeating_fractions_stay_exact_and_round_half_up(world: Any) -> None:
    round = open_round(world, groups=[("中层正职", 3)])
    tally = close_with(world, round, [{"JS": E}, {"JS": E}, {"JS": G}])
    # (1 + 1 + .8) / 3 × 10 = 28/3 = 9.333…; BG and XX received no grade: the round does not count.
    js = next(d for d in tally["departments"] if d["code"] == "JS")
    assert js["points"] == "28/3" and js["display"] == "9.33"
    assert points(tally)["BG"] is None and points(tally)["XX"] is None


def test_a_style_round_rates_service_departments_only(world: Any) -> None:
    round = open_round(world, kind="style", groups=[("区经信局", 2), ("企业代表", 2)])
    tally = close_with(world, round, [{"JS": G, "XX": F}, {"JS": F}, {"JS": P, "XX": E}, {}])
    # JS: (.8 + .6 + 0) / 3 = 14/30 of 10 = 4.666…; XX: (.6 + 1) / 2 = .8 of 10.
    assert points(tally) == {"JS": "4.67", "XX": "8.00"}


def test_the_leader_round_gives_general_departments_10_points(world: Any) -> None:
    round = open_round(world, kind="leader", groups=[("委领导", 2)])
    tally = close_with(world, round, [{"BG": G, "JS": E, "XX": F}, {"BG": F, "JS": E, "XX": F}])
    assert points(tally) == {"BG": "7.00", "JS": "10.00", "XX": "6.00"}


def test_option_drop_the_highest_and_the_lowest_grade(world: Any) -> None:
    set_options(world.year, drop_extremes_min_grades=3)
    round = open_round(world, groups=[("中层正职", 4)])
    tally = close_with(
        world,
        round,
        [
            {"JS": E, "XX": E, "BG": G},
            {"JS": G, "XX": E, "BG": G},
            {"JS": F, "BG": G},
            {"JS": P},
        ],
    )
    # JS has 4 grades: drop 优秀 and 较差, keep .8 and .6 → .7 of 10. XX has 2 (< 3): nothing dropped.
    # BG has 3 良好: one highest and one lowest dropped, one 良好 left → .8 of 20.
    assert points(tally) == {"BG": "16.00", "JS": "7.00", "XX": "10.00"}
    js = next(d for d in tally["departments"] if d["code"] == "JS")
    assert js["dropped"] == ["优秀", "较差"] and js["grades"] == {G: 1, F: 1}


def test_option_excellent_share_refuses_the_ballot_before_the_tally(world: Any) -> None:
    set_options(world.year, excellent_max_share="0.5")
    round = open_round(world, groups=[("中层正职", 3)])
    codes = issue(world, round)["中层正职"]
    refused = post_ballot(Client(), round, {"JS": E, "XX": E, "BG": G}, codes[0])
    assert refused.status_code == 400
    for code, grades in zip(
        codes, [{"JS": E, "XX": G}, {"JS": E, "XX": F, "BG": F}, {"XX": E, "BG": F}], strict=True
    ):
        assert post_ballot(Client(), round, grades, code).status_code == 302
    tally = actions.round_close(by=world.office, round=round).tally or {}
    # JS: 1, 1 → 10; XX: .8, .6, 1 → .8 of 10; BG: .6 of 20.
    assert points(tally) == {"BG": "12.00", "JS": "10.00", "XX": "8.00"}
    assert tally["invalid"] == 0


def test_groups_with_three_ballots_or_more_get_their_own_tally(world: Any) -> None:
    round = open_round(world, groups=[("中层正职", 3), ("中层副职", 2)])
    tally = close_with(
        world,
        round,
        [{"JS": E}, {"JS": E}, {"JS": G}, {"JS": P}, {"JS": P}],
    )
    assert points(tally["groups"]["中层正职"])["JS"] == "9.33"
    assert tally["groups"]["中层副职"] == {"ballots": 2, "withheld": True}
    # The whole round: (1 + 1 + .8 + 0 + 0) / 5 × 10.
    assert points(tally)["JS"] == "5.60"
