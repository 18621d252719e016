"""Ranking (rules.md §5.1–2, §6, §7): tie-breaks, shared ranks, order, vetoes."""

from __future__ import annotations

from tests.engine.builders import (
    adjustment,
    ballot,
    bundle,
    department,
    entry,
    printed,
    printed_rows,
    ranked,
    veto,
    with_flag,
)


def order(doc_rows: dict[str, dict[str, object]]) -> list[str]:
    """Codes in printed order."""
    return list(doc_rows)


def test_rank_by_total_highest_first() -> None:
    # given three departments with totals 75, 80, 60
    rows = ranked({"A": "5", "B": "10", "C": "-10"})
    # when computed / then ranked by total, printed in rank order
    assert {c: r["rank"] for c, r in rows.items()} == {"B": 1, "A": 2, "C": 3}
    assert order(rows) == ["B", "A", "C"]
    assert with_flag(rows, "tie") == set()


def test_equal_total_higher_content_ranks_first() -> None:
    # given A and B on 71: A with content 69 and +2, B with content 70 and +1
    doc = bundle(
        [department("A", "general"), department("B", "general")],
        entries=[entry("A", "1.target_unmet", "year", amount="1")],
        adjustments=[adjustment("A", "2"), adjustment("B", "1")],
    )
    # when computed
    rows = printed_rows(doc)
    # then B (higher content) ranks first, and there is no tie
    assert rows["A"]["total"] == rows["B"]["total"] == "71.00"
    assert (rows["B"]["rank"], rows["A"]["rank"]) == (1, 2)
    assert with_flag(rows, "tie") == set()


def test_equal_total_and_content_higher_evaluation_ranks_first() -> None:
    # given A and B on 70 with content 70: A has evaluation 10 and −10, B evaluation 0
    doc = bundle(
        [department("A", "general"), department("B", "general")],
        ballots=[ballot("leader", "year", {"A": "excellent", "B": "poor"})],
        adjustments=[adjustment("A", "-10")],
    )
    # when computed
    rows = printed_rows(doc)
    # then A (higher evaluation) ranks first
    assert rows["A"]["total"] == rows["B"]["total"] == "70.00"
    assert (rows["A"]["rank"], rows["B"]["rank"]) == (1, 2)
    assert with_flag(rows, "tie") == set()


def test_content_decides_before_evaluation() -> None:
    # given equal totals: A higher content lower evaluation, B lower content higher evaluation
    doc = bundle(
        [department("A", "general"), department("B", "general")],
        entries=[entry("B", "1.target_unmet", "year", amount="2")],
        ballots=[ballot("leader", "year", {"A": "fair", "B": "good"})],
        adjustments=[adjustment("B", "0")],
    )
    # when computed: A = 70 + 6, B = 68 + 8
    rows = printed_rows(doc)
    # then A is first on content
    assert rows["A"]["total"] == rows["B"]["total"] == "76.00"
    assert (rows["A"]["rank"], rows["B"]["rank"]) == (1, 2)


def test_full_equality_shares_the_rank_one_two_two_four() -> None:
    # given totals 90, 80, 80, 70
    rows = ranked({"D": "0", "A": "20", "C": "10", "B": "10"})
    # when computed / then ranks 1, 2, 2, 4 with tie on the pair only
    assert {c: r["rank"] for c, r in rows.items()} == {"A": 1, "B": 2, "C": 2, "D": 4}
    assert with_flag(rows, "tie") == {"B", "C"}


def test_three_way_tie_skips_two_ranks() -> None:
    # given totals 80, 80, 80, 70
    rows = ranked({"A": "10", "B": "10", "C": "10", "D": "0"})
    # when computed / then ranks 1, 1, 1, 4
    assert [r["rank"] for r in rows.values()] == [1, 1, 1, 4]
    assert with_flag(rows, "tie") == {"A", "B", "C"}


def test_within_a_shared_rank_departments_are_listed_by_code_point_order() -> None:
    # given five departments of equal standing with mixed-case, digit and Chinese codes
    codes = ["b", "中", "Z", "a", "B", "9", "10"]
    rows = ranked(dict.fromkeys(codes, "0"))
    # when computed / then listed in Unicode code-point order
    assert order(rows) == ["10", "9", "B", "Z", "a", "b", "中"]
    assert all(r["rank"] == 1 for r in rows.values())


def test_chinese_codes_are_ordered_by_code_point_not_pinyin() -> None:
    # given 综合处 (U+7EFC) and 办公室 (U+529E) tied
    rows = ranked({"综合处": "0", "办公室": "0", "法规处": "0"})
    # when computed / then by code point: 办 U+529E, 法 U+6CD5, 综 U+7EFC
    assert order(rows) == ["办公室", "法规处", "综合处"]


def test_departments_printing_the_same_total_but_differing_exactly_get_different_ranks() -> None:
    # given totals 70.004 and 70.001, both printed 70.00
    rows = ranked({"A": "0.001", "B": "0.004"})
    # when computed
    # then B ranks above A, and neither is tied
    assert rows["A"]["total"] == rows["B"]["total"] == "70.00"
    assert (rows["B"]["rank"], rows["A"]["rank"]) == (1, 2)
    assert with_flag(rows, "tie") == set()


def test_exact_thirds_from_ballots_rank_apart_when_printed_equal() -> None:
    # given leader grades making 26/3 (8.666…) for A and 8.67 exactly for B via adjustment
    doc = bundle(
        [department("A", "general"), department("B", "general")],
        ballots=[
            ballot("leader", "year", {"A": "excellent", "B": "poor"}),
            ballot("leader", "year", {"A": "good"}),
            ballot("leader", "year", {"A": "good"}),
        ],
        adjustments=[adjustment("B", "8.67")],
    )
    # when computed: A = 70 + 8.666…, B = 70 + 0 + 8.67
    rows = printed_rows(doc)
    # then both print 78.67 but B is exactly higher
    assert rows["A"]["total"] == rows["B"]["total"] == "78.67"
    assert (rows["B"]["rank"], rows["A"]["rank"]) == (1, 2)
    assert with_flag(rows, "tie") == set()


def test_equal_total_and_content_but_different_evaluation_is_no_tie() -> None:
    # given equal totals and content but different evaluation (compensated by adjustment)
    doc = bundle(
        [department("A", "general"), department("B", "general")],
        ballots=[ballot("leader", "year", {"A": "good", "B": "fair"})],
        adjustments=[adjustment("B", "2")],
    )
    # when computed
    rows = printed_rows(doc)
    # then no tie flag, A first
    assert rows["A"]["total"] == rows["B"]["total"]
    assert [r["rank"] for r in rows.values()] == [1, 2]
    assert with_flag(rows, "tie") == set()


def test_vetoed_department_keeps_its_score_and_rank() -> None:
    # given the best department vetoed
    rows = ranked({"A": "10", "B": "5", "C": "0"}, vetoed=["A"])
    # when computed / then it is still first, with its score, marked vetoed
    assert rows["A"]["rank"] == 1
    assert rows["A"]["total"] == "80.00"
    assert rows["A"]["vetoed"] is True
    assert rows["B"]["vetoed"] is False
    assert rows["B"]["rank"] == 2


def test_vetoed_department_shares_ranks_and_ties_like_any_other() -> None:
    # given A (vetoed) and B equal
    rows = ranked({"A": "5", "B": "5", "C": "0"}, vetoed=["A"])
    # when computed / then both rank 1 and are tied
    assert rows["A"]["rank"] == rows["B"]["rank"] == 1
    assert with_flag(rows, "tie") == {"A", "B"}
    assert rows["C"]["rank"] == 3


def test_several_vetoes_act_as_one() -> None:
    # given two vetoes for A with different reasons
    doc = bundle(
        [department("A", "general"), department("B", "general")],
        vetoes=[veto("A", "criticised"), veto("A", "dereliction"), veto("A", "criticised")],
    )
    # when computed
    rows = printed_rows(doc)
    # then A is simply vetoed; its figures are untouched
    assert rows["A"]["vetoed"] is True
    assert rows["A"]["total"] == rows["B"]["total"] == "70.00"


def test_veto_does_not_change_any_score() -> None:
    # given the same data with and without a veto
    deps = [department("A", "service"), department("B", "general")]
    ballots = [ballot("leader", "year", {"A": "good", "B": "fair"})]
    plain = printed(bundle(deps, ballots=ballots))
    vetoed = printed(bundle(deps, ballots=ballots, vetoes=[veto("A")]))
    # when compared / then only vetoed and honors differ
    for before, after in zip(plain["departments"], vetoed["departments"], strict=True):
        for key in ("code", "categories", "content", "evaluation", "total", "rank"):
            assert before[key] == after[key]


def test_output_is_ordered_by_rank_then_code() -> None:
    # given departments listed in a scrambled order
    rows = ranked({"Y": "1", "X": "3", "W": "1", "V": "-2"})
    # when computed / then by rank, then code
    assert order(rows) == ["X", "W", "Y", "V"]
    assert [r["rank"] for r in rows.values()] == [1, 2, 2, 4]


def test_a_negative_total_ranks_below_zero() -> None:
    # given totals −5, 0 and 5
    rows = ranked({"A": "-75", "B": "-70", "C": "-65"})
    # when computed / then 5, 0, −5
    assert order(rows) == ["C", "B", "A"]
    assert rows["A"]["total"] == "-5.00"
    assert rows["B"]["total"] == "0.00"
