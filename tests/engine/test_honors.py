"""Honors (rules.md §5.3, §7): advanced, recommended, praised, progress, bottom, boundary ties."""

from __future__ import annotations

from tests.engine.builders import codes, ladder, span, with_flag, with_honor


def test_first_five_advanced_first_two_recommended_six_to_ten_praised_last_two_bottom() -> None:
    # given twelve departments with distinct totals
    rows = ladder(*codes(12))
    # when computed / then each tier takes its places
    assert with_honor(rows, "advanced") == span(1, 5)
    assert with_honor(rows, "recommended") == span(1, 2)
    assert with_honor(rows, "praised") == span(6, 10)
    assert with_honor(rows, "progress") == set()
    assert with_honor(rows, "bottom") == span(11, 12)
    assert with_flag(rows, "boundary_tie") == set()


def test_vetoed_departments_get_no_honor_and_eligible_places_skip_them() -> None:
    # given thirteen departments, the 1st and 7th vetoed
    rows = ladder(*codes(13), vetoed=["D01", "D07"])
    # when computed
    # then places are counted among the others: D02–D06 advanced, D08–D12 praised
    assert rows["D01"]["honors"] == []
    assert rows["D07"]["honors"] == []
    assert with_honor(rows, "advanced") == span(2, 6)
    assert with_honor(rows, "recommended") == {"D02", "D03"}
    assert with_honor(rows, "praised") == span(8, 12)
    assert with_honor(rows, "bottom") == {"D12", "D13"}
    assert rows["D01"]["rank"] == 1


def test_vetoed_department_can_still_be_bottom() -> None:
    # given the last department vetoed
    rows = ladder(*codes(12), vetoed=["D12"])
    # when computed / then it is among the two lowest all the same
    assert rows["D12"]["honors"] == ["bottom"]
    assert with_honor(rows, "bottom") == {"D11", "D12"}
    assert with_honor(rows, "praised") == span(6, 10)


def test_boundary_tie_at_second_and_third_recommended() -> None:
    # given the 2nd and 3rd tied
    rows = ladder("D01", "D02 D03", *codes(9, 4))
    # when computed / then both are recommended and flagged; the 1st is not flagged
    assert with_honor(rows, "recommended") == {"D01", "D02", "D03"}
    assert with_flag(rows, "boundary_tie") == {"D02", "D03"}
    assert with_honor(rows, "advanced") == span(1, 5)
    assert with_honor(rows, "praised") == span(6, 10)


def test_boundary_tie_at_fifth_and_sixth_advanced_then_praised_from_seventh() -> None:
    # given the 5th and 6th tied among twelve
    rows = ladder(*codes(4), "D05 D06", *codes(6, 7))
    # when computed / then both are advanced and flagged; praised covers places 7–10
    assert with_honor(rows, "advanced") == span(1, 6)
    assert with_flag(rows, "boundary_tie") == {"D05", "D06"}
    assert with_honor(rows, "praised") == span(7, 10)
    assert rows["D05"]["honors"] == ["advanced"]


def test_group_at_place_five_running_to_seven_is_advanced_and_praised_covers_eight_to_ten() -> None:
    # given places 5–7 tied among fourteen
    rows = ladder(*codes(4), "D05 D06 D07", *codes(7, 8))
    # when computed
    # then the whole group is advanced with boundary_tie, and praised is places 8–10 only
    assert with_honor(rows, "advanced") == span(1, 7)
    assert with_flag(rows, "boundary_tie") == {"D05", "D06", "D07"}
    assert with_honor(rows, "praised") == span(8, 10)
    assert rows["D11"]["honors"] == []


def test_boundary_tie_at_tenth_and_eleventh_praised() -> None:
    # given the 10th and 11th tied among fourteen
    rows = ladder(*codes(9), "D10 D11", *codes(3, 12))
    # when computed / then both praised with boundary_tie; the 12th gets nothing
    assert with_honor(rows, "praised") == span(6, 11)
    assert with_flag(rows, "boundary_tie") == {"D10", "D11"}
    assert rows["D12"]["honors"] == []


def test_group_reaching_past_two_boundaries_gets_only_its_places_tier() -> None:
    # given places 4–11 tied among fourteen
    tied = " ".join(codes(8, 4))
    rows = ladder(*codes(3), tied, *codes(3, 12))
    # when computed
    # then all eight are advanced (flagged), none praised, and nobody below is praised
    assert with_honor(rows, "advanced") == span(1, 11)
    assert with_honor(rows, "praised") == set()
    assert with_flag(rows, "boundary_tie") == span(4, 11)
    assert rows["D12"]["honors"] == []


def test_group_from_second_to_sixth_is_recommended_and_advanced() -> None:
    # given places 2–6 tied among twelve
    rows = ladder("D01", " ".join(codes(5, 2)), *codes(6, 7))
    # when computed / then recommended and advanced for all five, flagged; praised 7–10
    assert with_honor(rows, "recommended") == span(1, 6)
    assert with_honor(rows, "advanced") == span(1, 6)
    assert with_flag(rows, "boundary_tie") == span(2, 6)
    assert with_honor(rows, "praised") == span(7, 10)


def test_tie_inside_a_tier_is_no_boundary_tie() -> None:
    # given places 3–4 tied and 7–8 tied
    rows = ladder("D01", "D02", "D03 D04", "D05", "D06", "D07 D08", *codes(4, 9))
    # when computed / then tie flags but no boundary_tie
    assert with_flag(rows, "tie") == {"D03", "D04", "D07", "D08"}
    assert with_flag(rows, "boundary_tie") == set()
    assert with_honor(rows, "advanced") == span(1, 5)
    assert with_honor(rows, "praised") == span(6, 10)


def test_tie_with_a_vetoed_department_never_makes_a_boundary_tie() -> None:
    # given a vetoed department tied with the 5th eligible one
    rows = ladder(*codes(4), "D05 V", *codes(7, 6), vetoed=["V"])
    # when computed
    # then D05 alone holds eligible place 5: advanced, tied but no boundary_tie
    assert with_honor(rows, "advanced") == span(1, 5)
    assert rows["D05"]["flags"][:1] == ["tie"]
    assert "boundary_tie" not in rows["D05"]["flags"]
    assert rows["V"]["honors"] == []
    assert with_honor(rows, "praised") == span(6, 10)


def test_tie_with_a_vetoed_department_at_the_recommended_boundary() -> None:
    # given a vetoed department tied with the 2nd
    rows = ladder("D01", "V D02", *codes(10, 3), vetoed=["V"])
    # when computed / then the 2nd alone is recommended, without boundary_tie
    assert with_honor(rows, "recommended") == {"D01", "D02"}
    assert with_flag(rows, "boundary_tie") == set()


def test_eligible_places_are_competition_places_among_non_vetoed() -> None:
    # given A, vetoed B, C = D, E, F, G, …
    rows = ladder("A", "B", "C D", "E", "F", "G", "H", "I", "J", "K", "L", "M", vetoed=["B"])
    # when computed: eligible places A 1, C 2, D 2, E 4, F 5, G 6
    # then C and D straddle the recommended boundary; F is the 5th advanced; G praised
    assert with_honor(rows, "recommended") == {"A", "C", "D"}
    assert with_flag(rows, "boundary_tie") == {"C", "D"}
    assert with_honor(rows, "advanced") == {"A", "C", "D", "E", "F"}
    assert with_honor(rows, "praised") == {"G", "H", "I", "J", "K"}


def test_everybody_tied_gets_every_tier_of_place_one() -> None:
    # given twelve departments all equal
    rows = ladder(" ".join(codes(12)))
    # when computed / then all are advanced and recommended, none praised, all bottom
    assert with_honor(rows, "advanced") == span(1, 12)
    assert with_honor(rows, "recommended") == span(1, 12)
    assert with_honor(rows, "praised") == set()
    assert with_honor(rows, "bottom") == span(1, 12)
    assert with_flag(rows, "boundary_tie") == span(1, 12)


# --- progress ----------------------------------------------------------------------------


def test_progress_goes_to_risers_outside_advanced_and_praised_fewer_than_five_all_get_it() -> None:
    # given sixteen departments and last year's ranks
    previous = {
        "D03": 16,  # rose 13 but is advanced
        "D07": 15,  # rose 8 but is praised
        "D11": 16,  # rose 5
        "D12": 15,  # rose 3
        "D13": 14,  # rose 1
        "D14": 14,  # no rise
        "D15": 10,  # fell
    }  # D16: new this year
    rows = ladder(*codes(16), previous_ranks=previous)
    # when computed / then the three real risers outside the top ten get progress
    assert with_honor(rows, "progress") == {"D11", "D12", "D13"}
    assert rows["D03"]["honors"] == ["advanced"]
    assert rows["D07"]["honors"] == ["praised"]


def test_progress_takes_the_five_largest_rises() -> None:
    # given twenty departments; ranks 11–20 rose by 1–10 places
    previous = {f"D{r:02d}": 2 * r - 10 for r in range(11, 21)}
    rows = ladder(*codes(20), previous_ranks=previous)
    # when computed / then the five largest rises (ranks 16–20) get progress
    assert with_honor(rows, "progress") == span(16, 20)
    assert with_flag(rows, "boundary_tie") == set()


def test_progress_orders_equal_rises_by_this_years_rank() -> None:
    # given seven risers at ranks 11–17, each up 2 places
    previous = {f"D{r:02d}": r + 2 for r in range(11, 18)}
    rows = ladder(*codes(17), previous_ranks=previous)
    # when computed / then the five best ranked of them get progress, no boundary_tie
    assert with_honor(rows, "progress") == span(11, 15)
    assert with_flag(rows, "boundary_tie") == set()


def test_progress_boundary_tie_at_fifth_and_sixth_riser_with_equal_rise_and_total() -> None:
    # given risers at ranks 11–14 and a pair tied at rank 15, all up 3 places
    groups = [*codes(14), "D15 D16", "D17", "D18"]
    previous = {**{f"D{r:02d}": r + 3 for r in range(11, 15)}, "D15": 18, "D16": 18}
    rows = ladder(*groups, previous_ranks=previous)
    # when computed / then the tied pair both get progress, flagged
    assert with_honor(rows, "progress") == span(11, 16)
    assert with_flag(rows, "boundary_tie") == {"D15", "D16"}


def test_progress_larger_rise_beats_better_rank() -> None:
    # given six risers: ranks 11–15 up 1, rank 16 up 4
    previous = {**{f"D{r:02d}": r + 1 for r in range(11, 16)}, "D16": 20}
    rows = ladder(*codes(16), previous_ranks=previous)
    # when computed / then D16 and the four best-ranked of the others
    assert with_honor(rows, "progress") == {"D16", "D11", "D12", "D13", "D14"}
    assert with_flag(rows, "boundary_tie") == set()


def test_progress_uses_overall_rank_with_vetoed_departments_counted() -> None:
    # given the 1st vetoed; D12 ranked 12th this year and last year; D13 13th, was 14th
    rows = ladder(*codes(13), vetoed=["D01"], previous_ranks={"D12": 12, "D13": 14})
    # when computed
    # then D12 did not rise (its eligible place 11 is not its rank); D13 did
    assert rows["D12"]["rank"] == 12
    assert with_honor(rows, "progress") == {"D13"}


def test_progress_never_goes_to_a_vetoed_department_nor_counts_it() -> None:
    # given six risers outside the top ten, the largest riser vetoed
    previous = {f"D{r:02d}": r + 1 for r in range(11, 16)} | {"D16": 30}
    rows = ladder(*codes(16), vetoed=["D16"], previous_ranks=previous)
    # when computed / then the other five get progress
    assert with_honor(rows, "progress") == span(11, 15)
    assert rows["D16"]["honors"] == ["bottom"]


def test_progress_needs_last_years_rank() -> None:
    # given a department new this year at rank 11
    rows = ladder(*codes(12), previous_ranks={"D12": 13})
    # when computed / then only the one ranked last year can get progress
    assert with_honor(rows, "progress") == {"D12"}


def test_progress_from_a_shared_previous_rank() -> None:
    # given two departments that shared last year's rank 14 and now rank 11 and 12
    rows = ladder(*codes(13), previous_ranks={"D11": 14, "D12": 14})
    # when computed / then both rose
    assert with_honor(rows, "progress") == {"D11", "D12"}


def test_progress_tie_inside_the_five_is_no_boundary_tie() -> None:
    # given two risers tied at rank 11 with equal rise
    rows = ladder(*codes(10), "D11 D12", *codes(3, 13), previous_ranks={"D11": 13, "D12": 13})
    # when computed / then both get progress, no boundary_tie
    assert with_honor(rows, "progress") == {"D11", "D12"}
    assert with_flag(rows, "boundary_tie") == set()


# --- bottom ------------------------------------------------------------------------------


def test_bottom_boundary_tie_at_second_and_third_lowest() -> None:
    # given the 2nd and 3rd lowest tied
    rows = ladder(*codes(9), "D10 D11", "D12")
    # when computed / then all three are bottom; the tied pair flagged
    assert with_honor(rows, "bottom") == {"D10", "D11", "D12"}
    assert with_flag(rows, "boundary_tie") == {"D10", "D11"}


def test_bottom_two_tied_last_is_no_boundary_tie() -> None:
    # given the two lowest tied
    rows = ladder(*codes(10), "D11 D12")
    # when computed / then both bottom, no boundary_tie, the 10th not bottom
    assert with_honor(rows, "bottom") == {"D11", "D12"}
    assert with_flag(rows, "boundary_tie") == set()


def test_bottom_three_tied_last_are_all_bottom() -> None:
    # given the three lowest tied
    rows = ladder(*codes(11), "D12 D13 D14")
    # when computed / then all three bottom with boundary_tie
    assert with_honor(rows, "bottom") == {"D12", "D13", "D14"}
    assert with_flag(rows, "boundary_tie") == {"D12", "D13", "D14"}


def test_bottom_tie_with_a_vetoed_department_is_a_boundary_tie() -> None:
    # given the 2nd and 3rd lowest tied, one of them vetoed (bottom counts everyone)
    rows = ladder(*codes(9), "D10 D11", "D12", vetoed=["D11"])
    # when computed / then both are bottom and flagged
    assert with_honor(rows, "bottom") == {"D10", "D11", "D12"}
    assert with_flag(rows, "boundary_tie") == {"D10", "D11"}


def test_small_organisation_advanced_and_bottom_coincide() -> None:
    # given three departments
    rows = ladder("A", "B", "C")
    # when computed / then all are advanced, two recommended, two bottom, honors in order
    assert rows["A"]["honors"] == ["advanced", "recommended"]
    assert rows["B"]["honors"] == ["advanced", "recommended", "bottom"]
    assert rows["C"]["honors"] == ["advanced", "bottom"]


def test_single_department_is_advanced_recommended_and_bottom() -> None:
    # given one department
    rows = ladder("A")
    # when computed / then it holds all three
    assert rows["A"]["honors"] == ["advanced", "recommended", "bottom"]
    assert rows["A"]["flags"] == ["no_grades:democratic", "no_grades:leader"]


# --- output order ------------------------------------------------------------------------


def test_honors_are_printed_in_the_fixed_order() -> None:
    # given eleven departments: the 10th is praised and bottom; the 11th rose
    rows = ladder(*codes(11), previous_ranks={"D11": 15})
    # when computed / then honors are in advanced, recommended, praised, progress, bottom order
    assert rows["D10"]["honors"] == ["praised", "bottom"]
    assert rows["D11"]["honors"] == ["progress", "bottom"]
    assert rows["D01"]["honors"] == ["advanced", "recommended"]


def test_flags_are_printed_in_the_fixed_order() -> None:
    # given the 5th and 6th tied, general departments without ballots
    rows = ladder(*codes(4), "D05 D06", *codes(6, 7))
    # when computed / then tie, boundary_tie, then no_grades by kind
    assert rows["D05"]["flags"] == [
        "tie",
        "boundary_tie",
        "no_grades:democratic",
        "no_grades:leader",
    ]
