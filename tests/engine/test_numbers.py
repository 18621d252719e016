"""Numbers (rules.md §6): exact arithmetic, two places half away from zero, never -0.00."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kaohe.engine.numbers import fmt2, parse_number
from tests.engine.builders import (
    adjustment,
    ballot,
    bundle,
    department,
    entry,
    printed_rows,
    ranked,
    run,
    with_flag,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction("0.125"), "0.13"),
        (Fraction("-0.125"), "-0.13"),
        (Fraction("0.005"), "0.01"),
        (Fraction("-0.005"), "-0.01"),
        (Fraction("0.0049999"), "0.00"),
        (Fraction("-0.0049999"), "0.00"),
        (Fraction("-0.004"), "0.00"),
        (Fraction(0), "0.00"),
        (Fraction("2.675"), "2.68"),  # 2.67 in binary floating point
        (Fraction("1.005"), "1.01"),  # 1.00 in binary floating point
        (Fraction("0.995"), "1.00"),
        (Fraction("-0.995"), "-1.00"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(-2, 3), "-0.67"),
        (Fraction(26, 3), "8.67"),
        (Fraction(100), "100.00"),
        (Fraction(-130), "-130.00"),
        (Fraction("12345678.905"), "12345678.91"),
    ],
)
def test_two_places_half_away_from_zero_from_the_exact_value(value: Fraction, text: str) -> None:
    # given an exact value / when printed / then two places, half away from zero
    assert fmt2(value) == text


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2.5", Fraction(5, 2)),
        ("-1.5", Fraction(-3, 2)),
        ("0.1", Fraction(1, 10)),
        (7, Fraction(7)),
        ("0.000000000001", Fraction(1, 10**12)),
    ],
)
def test_amounts_parse_exactly(raw: object, value: Fraction) -> None:
    # given a decimal string or a JSON integer / when parsed / then exactly that value
    assert parse_number(raw) == value


@pytest.mark.parametrize(
    "raw",
    [
        True,
        None,
        "",
        "abc",
        "1e3",
        "1,5",
        [],
        {},
        "NaN",
        "Infinity",
        "2.5\n",
        " 2.5",
        "2.5 ",
        "\u0663",  # ARABIC-INDIC DIGIT THREE
        "\uff11",  # FULLWIDTH DIGIT ONE
        "2.",
        ".5",
        "--1",
        2.5,
    ],
)
def test_non_decimals_do_not_parse(raw: object) -> None:
    # given something that is not a decimal / when parsed / then no number
    assert parse_number(raw) is None


def test_total_rounds_half_away_from_zero_below_zero() -> None:
    # given a total of exactly −0.125 (content 70, adjustment −70.125)
    rows = ranked({"A": "-70.125"})
    # when printed / then −0.13, and the adjustment −70.13
    assert rows["A"]["total"] == "-0.13"
    assert rows["A"]["adjustment"] == "-70.13"


def test_total_rounds_half_away_from_zero_above_zero() -> None:
    # given a total of exactly 70.125
    rows = ranked({"A": "0.125"})
    # when printed / then 70.13
    assert rows["A"]["total"] == "70.13"
    assert rows["A"]["adjustment"] == "0.13"


def test_tiny_negative_total_never_prints_minus_zero() -> None:
    # given a total of −0.004 and an adjustment of −0.001
    rows = ranked({"A": "-70.004", "B": "-0.001"})
    # when printed / then 0.00, never -0.00, anywhere
    assert rows["A"]["total"] == "0.00"
    assert rows["B"]["adjustment"] == "0.00"
    assert all("-0.00" not in str(row) for row in rows.values())


def test_total_is_rounded_from_its_exact_value_not_summed_from_rounded_parts() -> None:
    # given a service department with grades excellent, good, good in every kind (26/3 each)
    s = department("S", "service")
    grades = ["excellent", "good", "good"]
    ballots = [
        ballot(kind, rnd, {"S": g})
        for kind, rnd in [("democratic", "H1"), ("style", "year"), ("leader", "year")]
        for g in grades
    ]
    # when computed
    rows = printed_rows(bundle([s], ballots=ballots))
    # then each kind prints 8.67 but the evaluation is exactly 26 and the total 96
    assert rows["S"]["evaluation"] == {"democratic": "8.67", "style": "8.67", "leader": "8.67"}
    assert rows["S"]["evaluation_total"] == "26.00"
    assert rows["S"]["total"] == "96.00"


def test_total_rounded_from_exact_value_when_parts_round_down() -> None:
    # given grades excellent, excellent, good in every kind (28/3 = 9.333… each)
    s = department("S", "service")
    ballots = [
        ballot(kind, rnd, {"S": g})
        for kind, rnd in [("democratic", "H1"), ("style", "year"), ("leader", "year")]
        for g in ["excellent", "excellent", "good"]
    ]
    # when computed
    rows = printed_rows(bundle([s], ballots=ballots, adjustments=[adjustment("S", "0.001")]))
    # then 9.33 three times, but 28.00 and a total of 98.001 → 98.00
    assert rows["S"]["evaluation"]["leader"] == "9.33"
    assert rows["S"]["evaluation_total"] == "28.00"
    assert rows["S"]["total"] == "98.00"


def test_evaluation_total_of_a_general_department_rounded_from_exact_thirds() -> None:
    # given democratic grades excellent, good, good (20 × 2.6/3 = 17.333…)
    # and leader grades excellent, excellent, good (10 × 2.8/3 = 9.333…)
    g = department("G", "general")
    ballots = [ballot("democratic", "H1", {"G": x}) for x in ["excellent", "good", "good"]]
    ballots += [ballot("leader", "year", {"G": x}) for x in ["excellent", "excellent", "good"]]
    # when computed
    rows = printed_rows(bundle([g], ballots=ballots))
    # then the parts print 17.33 and 9.33 (sum 26.66) but the evaluation is 80/3 → 26.67
    assert rows["G"]["evaluation"] == {"democratic": "17.33", "style": "0.00", "leader": "9.33"}
    assert rows["G"]["evaluation_total"] == "26.67"
    assert rows["G"]["total"] == "96.67"
    assert run(bundle([g], ballots=ballots)).get("G").total == Fraction(290, 3)


def test_exact_sums_make_exact_ties() -> None:
    # given A adjusted by 0.1 and 0.2, B by 0.3 (0.1 + 0.2 != 0.3 in binary floats)
    doc = bundle(
        [department("A", "general"), department("B", "general")],
        adjustments=[adjustment("A", "0.1"), adjustment("A", "0.2"), adjustment("B", "0.3")],
    )
    # when computed
    rows = printed_rows(doc)
    # then they tie exactly
    assert rows["A"]["rank"] == rows["B"]["rank"] == 1
    assert with_flag(rows, "tie") == {"A", "B"}


def test_many_small_deductions_sum_exactly() -> None:
    # given 0.2 deducted 7 times in separate entries
    entries = [entry("A", "11.late_early", "H1") for _ in range(7)]
    # when computed
    results = run(bundle([department("A")], entries=entries))
    # then conduct is exactly 8.6
    assert results.get("A").categories["conduct"] == Fraction("8.6")


def test_half_cent_total_rounds_up_from_below() -> None:
    # given a total of exactly 69.995 (an adjustment of −0.005)
    rows = ranked({"A": "-0.005"})
    # when printed / then 70.00 (half away from zero), adjustment −0.01
    assert rows["A"]["total"] == "70.00"
    assert rows["A"]["adjustment"] == "-0.01"


def test_every_printed_figure_has_exactly_two_places() -> None:
    # given a bundle with thirds, halves and negatives
    doc = bundle(
        [department("S", "service"), department("G", "general")],
        entries=[entry("S", "2.paper_national", "H1", modifiers=["short"])],
        ballots=[ballot("leader", "year", {"S": g, "G": g}) for g in ["good", "fair", "fair"]],
        adjustments=[adjustment("G", "-0.3333")],
    )
    # when printed
    rows = printed_rows(doc)
    # then every figure is a string with exactly two places
    for row in rows.values():
        figures = [
            *row["categories"].values(),
            *row["evaluation"].values(),
            row["content"],
            row["evaluation_total"],
            row["adjustment"],
            row["total"],
        ]
        for text in figures:
            whole, _, cents = text.lstrip("-").partition(".")
            assert whole.isdigit() and len(cents) == 2 and cents.isdigit(), text
