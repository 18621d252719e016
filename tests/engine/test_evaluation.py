"""The evaluation part (rules.md §2, §7): rounds, abstentions, blank ballots, options, weights."""

from __future__ import annotations

from typing import Any

from tests.engine.builders import (
    adjustment,
    ballot,
    bundle,
    department,
    find_kind,
    full_ballots,
    printed_rows,
    run,
    scheme_copy,
)

S = department("S", "service")
G = department("G", "general")


def rows_of(
    ballots: list[dict[str, Any]], *, scheme: Any = "cz-jxw-2016", deps: Any = None
) -> dict[str, dict[str, Any]]:
    """Printed rows of S (service) and G (general), or the given departments, with these ballots."""
    return printed_rows(bundle(deps or [S, G], ballots=ballots, scheme=scheme))


def leader(*grades: dict[str, str]) -> list[dict[str, Any]]:
    """Leader ballots of the year round."""
    return [ballot("leader", "year", g) for g in grades]


def with_options(**options: Any) -> dict[str, Any]:
    """A copy of the 2016 scheme with evaluation options switched on."""
    doc = scheme_copy("options-on")
    doc["evaluation"]["options"] = {**doc["evaluation"]["options"], **options}
    return doc


def test_round_points_are_kind_points_times_mean_coefficient() -> None:
    # given leader grades excellent, good, fair for S and excellent, poor for G
    ballots = leader(
        {"S": "excellent", "G": "excellent"}, {"S": "good", "G": "poor"}, {"S": "fair"}
    )
    # when computed
    rows = rows_of(ballots)
    # then S gets 10 × 0.8 and G 10 × 0.5
    assert rows["S"]["evaluation"]["leader"] == "8.00"
    assert rows["G"]["evaluation"]["leader"] == "5.00"


def test_service_department_has_10_10_10_and_general_20_0_10() -> None:
    # given every rated department graded excellent in every round of every kind
    rows = rows_of(full_ballots([S, G]))
    # when computed / then the points are those of each type
    assert rows["S"]["evaluation"] == {"democratic": "10.00", "style": "10.00", "leader": "10.00"}
    assert rows["G"]["evaluation"] == {"democratic": "20.00", "style": "0.00", "leader": "10.00"}
    assert rows["S"]["evaluation_total"] == "30.00"
    assert rows["G"]["evaluation_total"] == "30.00"
    assert rows["S"]["total"] == rows["G"]["total"] == "100.00"
    assert rows["S"]["flags"] == rows["G"]["flags"] == ["tie"]  # equal on everything


def test_democratic_rounds_have_equal_weight_by_default() -> None:
    # given democratic H1 all excellent and year all fair
    ballots = [
        ballot("democratic", "H1", {"S": "excellent", "G": "excellent"}),
        ballot("democratic", "year", {"S": "fair", "G": "fair"}),
    ]
    # when computed
    rows = rows_of(ballots)
    # then the kind's points are the mean of the two rounds' points
    assert rows["S"]["evaluation"]["democratic"] == "8.00"  # (10 + 6) / 2
    assert rows["G"]["evaluation"]["democratic"] == "16.00"  # (20 + 12) / 2


def test_round_mean_is_over_grades_not_ballots_of_other_rounds() -> None:
    # given H1 with one grade and year with three grades for S
    ballots = [
        ballot("democratic", "H1", {"S": "poor"}),
        ballot("democratic", "year", {"S": "excellent"}),
        ballot("democratic", "year", {"S": "excellent"}),
        ballot("democratic", "year", {"S": "excellent"}),
    ]
    # when computed
    rows = rows_of(ballots, deps=[S])
    # then each round counts once: (0 + 10) / 2, not 30 / 4
    assert rows["S"]["evaluation"]["democratic"] == "5.00"


def test_abstention_counts_for_that_department_only() -> None:
    # given one ballot marking only S and one marking both
    ballots = leader({"S": "excellent"}, {"S": "fair", "G": "good"})
    # when computed
    rows = rows_of(ballots)
    # then G's mean is over its one grade, S's over two
    assert rows["G"]["evaluation"]["leader"] == "8.00"
    assert rows["S"]["evaluation"]["leader"] == "8.00"


def test_blank_ballot_counts_in_turnout_not_in_scores() -> None:
    # given a leader ballot grading S good and a blank one
    doc = bundle([S, G], ballots=leader({"S": "good", "G": "fair"}, {}))
    # when computed
    results = run(doc)
    # then the blank ballot changes no mean but is counted in turnout
    assert results.get("S").evaluation["leader"] == 8
    assert results.get("G").evaluation["leader"] == 6
    turnout = {(t.kind, t.period): t for t in results.turnout}
    assert turnout[("leader", "year")].ballots == 2
    assert turnout[("leader", "year")].blank == 1


def test_blank_ballots_alone_give_no_grades() -> None:
    # given only blank leader ballots
    rows = rows_of(leader({}, {}))
    # when computed / then no department has a leader grade
    assert rows["S"]["evaluation"]["leader"] == "0.00"
    assert "no_grades:leader" in rows["S"]["flags"]
    assert "no_grades:leader" in rows["G"]["flags"]


def test_round_without_valid_grade_for_a_department_is_skipped() -> None:
    # given democratic H1 grading S good, and a year round held without S
    ballots = [
        ballot("democratic", "H1", {"S": "good", "G": "good"}),
        ballot("democratic", "year", {"G": "excellent"}),
    ]
    # when computed
    rows = rows_of(ballots)
    # then S's democratic points are its H1 points alone, not halved
    assert rows["S"]["evaluation"]["democratic"] == "8.00"
    assert rows["G"]["evaluation"]["democratic"] == "18.00"
    assert "no_grades:democratic" not in rows["S"]["flags"]


def test_only_round_held_makes_the_kind_points() -> None:
    # given only the year democratic round held
    rows = rows_of([ballot("democratic", "year", {"S": "fair", "G": "good"})])
    # when computed / then that round alone makes the points
    assert rows["S"]["evaluation"]["democratic"] == "6.00"
    assert rows["G"]["evaluation"]["democratic"] == "16.00"


def test_no_valid_grade_in_any_round_gives_zero_and_no_grades_flag() -> None:
    # given leader ballots that grade S only
    rows = rows_of(leader({"S": "excellent"}))
    # when computed
    # then G gets 0 leader points and the flag; S does not
    assert rows["G"]["evaluation"]["leader"] == "0.00"
    assert "no_grades:leader" in rows["G"]["flags"]
    assert "no_grades:leader" not in rows["S"]["flags"]


def test_kind_without_any_ballot_gives_every_rated_department_no_grades() -> None:
    # given no ballots at all (and an adjustment so that S and G do not tie)
    doc = bundle([S, G], adjustments=[adjustment("G", "1")])
    # when computed
    results = run(doc)
    rows = printed_rows(doc)
    # then every kind with points is 0 and flagged, and results are incomplete
    assert rows["S"]["flags"] == ["no_grades:democratic", "no_grades:style", "no_grades:leader"]
    assert rows["G"]["flags"] == ["no_grades:democratic", "no_grades:leader"]
    assert rows["S"]["evaluation"] == {"democratic": "0.00", "style": "0.00", "leader": "0.00"}
    assert not results.complete


def test_no_grades_style_never_for_a_general_department() -> None:
    # given democratic and leader ballots but no style ballots
    ballots = [
        ballot("democratic", "H1", {"S": "good", "G": "good"}),
        ballot("leader", "year", {"S": "good", "G": "good"}),
    ]
    # when computed
    rows = rows_of(ballots)
    # then only the service department lacks style grades
    assert rows["S"]["flags"] == ["no_grades:style"]
    assert rows["G"]["flags"] == []
    assert rows["G"]["evaluation"]["style"] == "0.00"


def test_complete_results_when_every_rated_kind_has_grades() -> None:
    # given every rated department graded in every kind
    results = run(bundle([S, G], ballots=full_ballots([S, G], "fair")))
    # when computed / then results are complete
    assert results.complete


def test_evaluation_total_is_the_sum_of_kinds() -> None:
    # given S graded good in democratic, fair in style, poor in leader
    ballots = [
        ballot("democratic", "H1", {"S": "good"}),
        ballot("style", "year", {"S": "fair"}),
        ballot("leader", "year", {"S": "poor"}),
    ]
    # when computed
    rows = rows_of(ballots, deps=[S])
    # then 8 + 6 + 0, and a poor grade is a grade (no flag)
    assert rows["S"]["evaluation"] == {"democratic": "8.00", "style": "6.00", "leader": "0.00"}
    assert rows["S"]["evaluation_total"] == "14.00"
    assert rows["S"]["total"] == "84.00"
    assert rows["S"]["flags"] == []


# --- options -----------------------------------------------------------------------------


def test_drop_extremes_drops_one_highest_and_one_lowest_at_n_grades() -> None:
    # given the option at 4 grades and S with excellent, good, fair, poor
    scheme = with_options(drop_extremes_min_grades=4)
    ballots = leader(
        {"S": "excellent", "G": "excellent"},
        {"S": "good", "G": "poor"},
        {"S": "fair", "G": "good"},
        {"S": "poor"},
    )
    # when computed
    rows = rows_of(ballots, scheme=scheme)
    # then S drops excellent and poor: 10 × (0.8 + 0.6) / 2; G (3 grades) drops nothing
    assert rows["S"]["evaluation"]["leader"] == "7.00"
    assert rows["G"]["evaluation"]["leader"] == "6.00"  # 10 × 1.8 / 3


def test_drop_extremes_drops_a_single_grade_of_a_repeated_extreme() -> None:
    # given the option at 3 and S with excellent ×3 and fair
    scheme = with_options(drop_extremes_min_grades=3)
    ballots = leader(*({"S": "excellent"} for _ in range(3)), {"S": "fair"})
    # when computed
    rows = rows_of(ballots, scheme=scheme, deps=[S])
    # then one excellent and the fair are dropped, leaving excellent ×2
    assert rows["S"]["evaluation"]["leader"] == "10.00"


def test_drop_extremes_with_all_grades_equal() -> None:
    # given the option at 3 and S with good ×3
    scheme = with_options(drop_extremes_min_grades=3)
    rows = rows_of(leader(*({"S": "good"} for _ in range(3))), scheme=scheme, deps=[S])
    # when computed / then one good remains
    assert rows["S"]["evaluation"]["leader"] == "8.00"


def test_drop_extremes_works_per_round() -> None:
    # given the option at 3; S has 3 grades in H1 and 2 in year
    scheme = with_options(drop_extremes_min_grades=3)
    ballots = [
        ballot("democratic", "H1", {"S": "excellent"}),
        ballot("democratic", "H1", {"S": "fair"}),
        ballot("democratic", "H1", {"S": "poor"}),
        ballot("democratic", "year", {"S": "excellent"}),
        ballot("democratic", "year", {"S": "poor"}),
    ]
    # when computed
    rows = rows_of(ballots, scheme=scheme, deps=[S])
    # then H1 keeps fair (6); year keeps both (5); the kind is (6 + 5) / 2
    assert rows["S"]["evaluation"]["democratic"] == "5.50"


def test_drop_extremes_is_off_by_default() -> None:
    # given the built-in scheme and excellent, good, poor
    rows = rows_of(leader({"S": "excellent"}, {"S": "good"}, {"S": "poor"}), deps=[S])
    # when computed / then all three count
    assert rows["S"]["evaluation"]["leader"] == "6.00"


def test_excellent_share_ballot_over_share_is_invalid() -> None:
    # given a share of 1/2; a ballot marking S and G both excellent (2 of 2) and a fair one
    scheme = with_options(excellent_max_share="0.5")
    ballots = leader({"S": "excellent", "G": "excellent"}, {"S": "fair", "G": "fair"})
    # when computed
    results = run(bundle([S, G], ballots=ballots, scheme=scheme))
    # then the first ballot counts nowhere
    assert results.get("S").evaluation["leader"] == 6
    assert results.get("G").evaluation["leader"] == 6
    turnout = {(t.kind, t.period): t for t in results.turnout}
    assert turnout[("leader", "year")].invalid == 1


def test_excellent_share_at_the_share_is_valid() -> None:
    # given a share of 1/2 and a ballot with 2 excellent of 4 marked
    deps = [department(c) for c in "ABCD"]
    scheme = with_options(excellent_max_share="0.5")
    ballots = leader({"A": "excellent", "B": "excellent", "C": "good", "D": "good"})
    # when computed
    rows = rows_of(ballots, scheme=scheme, deps=deps)
    # then it is valid: A gets 10
    assert rows["A"]["evaluation"]["leader"] == "10.00"


def test_excellent_share_is_measured_against_marked_departments_only() -> None:
    # given 4 departments, share 1/2, a ballot marking only A and B, both excellent
    deps = [department(c) for c in "ABCD"]
    scheme = with_options(excellent_max_share="0.5")
    ballots = leader(
        {"A": "excellent", "B": "excellent"},
        {"A": "good", "B": "good", "C": "good", "D": "good"},
    )
    # when computed
    rows = rows_of(ballots, scheme=scheme, deps=deps)
    # then 2 of 2 marked exceeds 1/2 (abstentions excluded): the ballot is invalid
    assert rows["A"]["evaluation"]["leader"] == "8.00"
    assert rows["B"]["evaluation"]["leader"] == "8.00"


def test_excellent_share_invalid_ballots_can_leave_a_department_without_grades() -> None:
    # given share 0 and the only leader ballot gives S excellent
    scheme = with_options(excellent_max_share="0")
    rows = rows_of(leader({"S": "excellent", "G": "good"}), scheme=scheme)
    # when computed / then nobody has valid leader grades
    assert "no_grades:leader" in rows["S"]["flags"]
    assert "no_grades:leader" in rows["G"]["flags"]


def test_invalid_ballots_are_not_counted_before_dropping_extremes() -> None:
    # given both options: share 1/2 and drop at 3; S gets excellent on an invalid ballot
    scheme = with_options(excellent_max_share="0.5", drop_extremes_min_grades=3)
    ballots = leader(
        {"S": "excellent", "G": "excellent"},  # invalid: 2 of 2 excellent
        {"S": "good"},
        {"S": "fair"},
    )
    # when computed
    rows = rows_of(ballots, scheme=scheme)
    # then S has two valid grades, fewer than 3: none dropped
    assert rows["S"]["evaluation"]["leader"] == "7.00"


def test_round_weights_come_from_the_scheme() -> None:
    # given democratic weights H1 1 and year 3
    scheme = scheme_copy("weights")
    find_kind(scheme, "democratic")["rounds"] = [
        {"period": "H1", "weight": "1"},
        {"period": "year", "weight": "3"},
    ]
    ballots = [
        ballot("democratic", "H1", {"S": "excellent", "G": "excellent"}),
        ballot("democratic", "year", {"S": "fair", "G": "fair"}),
    ]
    # when computed
    rows = rows_of(ballots, scheme=scheme)
    # then the mean is weighted: (10 + 3 × 6) / 4 and (20 + 3 × 12) / 4
    assert rows["S"]["evaluation"]["democratic"] == "7.00"
    assert rows["G"]["evaluation"]["democratic"] == "14.00"


def test_weighted_mean_is_over_the_rounds_a_department_was_graded_in() -> None:
    # given weights 1 and 3, and S graded only in H1
    scheme = scheme_copy("weights")
    find_kind(scheme, "democratic")["rounds"] = [
        {"period": "H1", "weight": "1"},
        {"period": "year", "weight": "3"},
    ]
    ballots = [
        ballot("democratic", "H1", {"S": "good"}),
        ballot("democratic", "year", {"G": "fair"}),
    ]
    # when computed
    rows = rows_of(ballots, scheme=scheme)
    # then S's points are its H1 points
    assert rows["S"]["evaluation"]["democratic"] == "8.00"
