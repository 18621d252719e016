"""The content part (rules.md §2–§4, §7): entry amounts, modifiers, same_work, the deduction cap."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.builders import (
    adjustment,
    bundle,
    department,
    entry,
    locations,
    printed_rows,
    problems,
)


def row(entries: list[dict[str, Any]], type: str = "service", **kw: Any) -> dict[str, Any]:
    """The printed row of department A with the given entries."""
    return printed_rows(bundle([department("A", type)], entries=entries, **kw))["A"]


def categories(entries: list[dict[str, Any]], type: str = "service") -> dict[str, str]:
    """The printed categories of department A with the given entries."""
    return row(entries, type)["categories"]  # type: ignore[no-any-return]


FULL = {
    "business": "20.00",
    "capacity": "10.00",
    "conduct": "10.00",
    "affairs": "10.00",
    "integrity": "10.00",
    "excellence": "10.00",
}


def test_every_category_starts_at_its_full_points() -> None:
    # given a department without entries
    # when it is computed
    result = row([])
    # then every category has its full points and content is 70
    assert result["categories"] == FULL
    assert result["content"] == "70.00"


# --- rule kinds ------------------------------------------------------------------------


def test_each_rule_amount_is_unit_amount_times_count() -> None:
    # given three person-times absent from study (0.2 per person-time)
    entries = [entry("A", "4.study_absence", "H1", count=3)]
    # when computed
    cats = categories(entries)
    # then capacity loses 0.6
    assert cats["capacity"] == "9.40"


def test_each_rule_count_defaults_to_one() -> None:
    # given one overdue supervised task (2 per occurrence) recorded without a count
    entries = [entry("A", "8.overdue_task", "H2")]
    # when computed
    cats = categories(entries)
    # then conduct loses 2
    assert cats["conduct"] == "8.00"


def test_each_bonus_adds_unit_amount_times_count() -> None:
    # given two articles accepted by municipal news outlets (0.5 each)
    entries = [entry("A", "3.news_municipal", "H1", count=2)]
    # when computed
    cats = categories(entries)
    # then business gains 1
    assert cats["business"] == "21.00"


def test_range_rule_amount_is_decided_amount_times_count() -> None:
    # given two unmet targets decided at 2.5 each
    entries = [entry("A", "1.target_unmet", "year", amount="2.5", count=2)]
    # when computed
    cats = categories(entries)
    # then business loses 5
    assert cats["business"] == "15.00"


def test_range_rule_accepts_its_bounds() -> None:
    # given range decisions at exactly min and exactly max of 16.sanctioned (2–10)
    entries = [
        entry("A", "16.sanctioned", "H1", amount="2"),
        entry("A", "16.sanctioned", "H2", amount=10),
    ]
    # when computed
    cats = categories(entries)
    # then both count, and the cap stops integrity at zero (12 > 10)
    assert cats["integrity"] == "0.00"


def test_range_bonus_adds_decided_amount() -> None:
    # given an individual competition award decided at 1.5
    entries = [entry("A", "6.award_individual", "year", amount="1.5")]
    # when computed
    cats = categories(entries)
    # then capacity gains 1.5
    assert cats["capacity"] == "11.50"


def test_shortfall_service_department_quota_is_six() -> None:
    # given a service department that sent 2 information items in H1 (quota 6)
    entries = [entry("A", "3.info_shortfall", "H1", actual=2)]
    # when computed
    cats = categories(entries, "service")
    # then 4 missing items cost 0.2 each
    assert cats["business"] == "19.20"


def test_shortfall_general_department_quota_is_two() -> None:
    # given a general department that sent 1 item in H2 and none in H1 (quota 2)
    entries = [
        entry("A", "3.info_shortfall", "H1", actual=0),
        entry("A", "3.info_shortfall", "H2", actual=1),
    ]
    # when computed
    cats = categories(entries, "general")
    # then 2 + 1 missing items cost 0.6
    assert cats["business"] == "19.40"


@pytest.mark.parametrize(
    ("type", "actual"), [("service", 6), ("service", 9), ("general", 2), ("general", 7)]
)
def test_shortfall_at_or_above_quota_deducts_nothing(type: str, actual: int) -> None:
    # given a department that sent at least its quota
    entries = [entry("A", "3.info_shortfall", "H1", actual=actual)]
    # when computed
    cats = categories(entries, type)
    # then nothing is deducted (max(0, quota − actual))
    assert cats["business"] == "20.00"


def test_shortfall_half_years_are_assessed_separately() -> None:
    # given a service department with 9 items in H1 and 3 in H2 (surplus does not carry over)
    entries = [
        entry("A", "3.info_shortfall", "H1", actual=9),
        entry("A", "3.info_shortfall", "H2", actual=3),
    ]
    # when computed
    cats = categories(entries, "service")
    # then only H2's 3 missing items cost 0.6
    assert cats["business"] == "19.40"


def test_no_shortfall_entry_means_no_deduction_for_that_half_year() -> None:
    # given a service department with a shortfall entry for H1 only, at quota
    entries = [entry("A", "3.info_shortfall", "H1", actual=6)]
    # when computed
    cats = categories(entries, "service")
    # then H2 without an entry deducts nothing
    assert cats["business"] == "20.00"


def test_shortfall_uses_the_type_of_each_department() -> None:
    # given a service and a general department each sending 2 items in H1
    doc = bundle(
        [department("S", "service"), department("G", "general")],
        entries=[
            entry("S", "3.info_shortfall", "H1", actual=2),
            entry("G", "3.info_shortfall", "H1", actual=2),
        ],
    )
    # when computed
    rows = printed_rows(doc)
    # then the service department misses 4, the general one none
    assert rows["S"]["categories"]["business"] == "19.20"
    assert rows["G"]["categories"]["business"] == "20.00"


# --- modifiers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "business"),
    [
        ("2.paper_national", "21.50"),
        ("2.paper_provincial", "21.00"),
        ("2.paper_municipal", "20.50"),
    ],
)
def test_short_modifier_halves_a_paper(rule: str, business: str) -> None:
    # given one short paper
    entries = [entry("A", rule, "H1", modifiers=["short"])]
    # when computed
    cats = categories(entries)
    # then it earns half the paper's amount
    assert cats["business"] == business


def test_modifier_applies_to_every_counted_unit() -> None:
    # given two short national papers recorded as one entry
    entries = [entry("A", "2.paper_national", "H1", count=2, modifiers=["short"])]
    # when computed
    cats = categories(entries)
    # then 3 × 2 × 0.5 = 3
    assert cats["business"] == "23.00"


@pytest.mark.parametrize(
    ("rule", "modifier", "excellence"),
    [
        ("18.collective_province", None, "15.00"),
        ("18.collective_province", "line", "12.50"),
        ("18.collective_province", "single", "11.25"),
        ("18.collective_prefecture", None, "13.00"),
        ("18.collective_prefecture", "line", "11.50"),
        ("18.collective_prefecture", "single", "10.75"),
        ("18.collective_city", None, "12.00"),
        ("18.collective_city", "line", "11.00"),
        ("18.collective_city", "single", "10.50"),
        ("18.individual_province", None, "13.00"),
        ("18.individual_province", "single", "11.50"),
        ("18.individual_prefecture", None, "12.00"),
        ("18.individual_prefecture", "single", "11.00"),
        ("18.individual_city", None, "11.00"),
        ("18.individual_city", "single", "10.50"),
    ],
)
def test_honor_modifiers_line_half_single_quarter_for_collectives_half_for_individuals(
    rule: str, modifier: str | None, excellence: str
) -> None:
    # given one honor, possibly line-wide or single-item
    fields = {"modifiers": [modifier]} if modifier else {}
    entries = [entry("A", rule, "year", **fields)]
    # when computed
    cats = categories(entries)
    # then line ×0.5; single ×0.25 for collectives (half of line), ×0.5 for individuals
    assert cats["excellence"] == excellence


def test_empty_modifier_list_means_no_modifier() -> None:
    # given a national paper with an empty modifier list
    entries = [entry("A", "2.paper_national", "H1", modifiers=[])]
    # when computed
    cats = categories(entries)
    # then it earns the full 3
    assert cats["business"] == "23.00"


# --- once a year -----------------------------------------------------------------------


def test_once_a_year_rule_deducts_its_amount_once() -> None:
    # given a department that missed its key topic and its research task
    entries = [entry("A", "2.topic_unmet", "year"), entry("A", "2.research_unmet", "year", count=1)]
    # when computed
    cats = categories(entries)
    # then 2 + 1 are deducted
    assert cats["business"] == "17.00"


@pytest.mark.parametrize("rule", ["2.topic_unmet", "2.research_unmet"])
def test_once_a_year_rule_rejects_count_two(rule: str) -> None:
    # given a once-a-year rule recorded with count 2
    doc = bundle([department("A")], entries=[entry("A", rule, "year", count=2)])
    # when parsed / then it is rejected at the entry's count
    assert locations(doc) == ["entries[0].count"]


@pytest.mark.parametrize(("first", "second"), [("year", "year"), ("H1", "H2"), ("H2", "year")])
def test_once_a_year_rule_twice_for_one_department_is_rejected_even_in_other_periods(
    first: str, second: str
) -> None:
    # given the same once-a-year rule twice for one department
    doc = bundle(
        [department("A")],
        entries=[entry("A", "2.topic_unmet", first), entry("A", "2.topic_unmet", second)],
    )
    # when parsed / then the second entry is rejected, naming the first
    found = problems(doc)
    assert len(found) == 1
    assert found[0].startswith("entries[1]")
    assert "entries[0]" in found[0]


def test_once_a_year_rule_once_for_each_of_two_departments_is_fine() -> None:
    # given the same once-a-year rule once for each of two departments
    doc = bundle(
        [department("A"), department("B")],
        entries=[entry("A", "2.topic_unmet", "year"), entry("B", "2.topic_unmet", "H1")],
    )
    # when computed
    rows = printed_rows(doc)
    # then each loses 2
    assert rows["A"]["categories"]["business"] == "18.00"
    assert rows["B"]["categories"]["business"] == "18.00"


# --- same_work -------------------------------------------------------------------------


def test_same_work_only_the_largest_bonus_counts() -> None:
    # given one article accepted provincially (1) and nationally (2), the same work
    entries = [
        entry("A", "3.news_provincial", "H1", same_work="art-1"),
        entry("A", "3.news_national", "H1", same_work="art-1"),
        entry("A", "3.news_municipal", "H1", same_work="art-1"),
    ]
    # when computed
    cats = categories(entries)
    # then only the 2 counts
    assert cats["business"] == "22.00"


def test_same_work_groups_span_periods() -> None:
    # given the same work rewarded in H1 (national paper, 3) and H2 (provincial paper, 2)
    entries = [
        entry("A", "2.paper_national", "H1", same_work="study-7"),
        entry("A", "2.paper_provincial", "H2", same_work="study-7"),
        entry("A", "2.leader_instruction", "year", same_work="study-7"),
    ]
    # when computed
    cats = categories(entries)
    # then only the 3 counts
    assert cats["business"] == "23.00"


def test_same_work_groups_span_all_bonus_rules_of_the_item_range_bonuses_included() -> None:
    # given one competition: 3 participants (1.5) and a collective award decided at 2, same work
    entries = [
        entry("A", "6.participation", "year", count=3, same_work="contest"),
        entry("A", "6.award_collective", "year", amount="2", same_work="contest"),
        entry("A", "6.award_individual", "year", amount="1", same_work="contest"),
    ]
    # when computed
    cats = categories(entries)
    # then only the largest, the award's 2, counts
    assert cats["capacity"] == "12.00"


def test_same_work_range_bonus_can_lose_to_a_larger_each_bonus() -> None:
    # given 5 participants (2.5) and a collective award decided at 2, same work
    entries = [
        entry("A", "6.award_collective", "year", amount="2", same_work="contest"),
        entry("A", "6.participation", "year", count=5, same_work="contest"),
    ]
    # when computed
    cats = categories(entries)
    # then the participants' 2.5 counts
    assert cats["capacity"] == "12.50"


def test_same_work_compares_amounts_after_modifier() -> None:
    # given a short national paper (3 × 0.5 = 1.5) and a full provincial one (2), same work
    entries = [
        entry("A", "2.paper_national", "H1", modifiers=["short"], same_work="w"),
        entry("A", "2.paper_provincial", "H1", same_work="w"),
    ]
    # when computed
    cats = categories(entries)
    # then the provincial 2 counts, not the national rule's nominal 3
    assert cats["business"] == "22.00"


def test_same_work_compares_amounts_after_count() -> None:
    # given 3 municipal news acceptances (1.5) and one provincial (1), same work
    entries = [
        entry("A", "3.news_provincial", "H1", same_work="w"),
        entry("A", "3.news_municipal", "H1", count=3, same_work="w"),
    ]
    # when computed
    cats = categories(entries)
    # then the 1.5 counts
    assert cats["business"] == "21.50"


def test_same_work_range_bonus_compared_after_count() -> None:
    # given an individual award decided at 1 for 3 persons (3) and a collective one at 2
    entries = [
        entry("A", "6.award_collective", "year", amount="2", same_work="w"),
        entry("A", "6.award_individual", "year", amount="1", count=3, same_work="w"),
    ]
    # when computed
    cats = categories(entries)
    # then the 3 counts
    assert cats["capacity"] == "13.00"


def test_same_work_honors_compared_after_modifier() -> None:
    # given a provincial line collective (2.5) and a city collective (2) for the same work
    entries = [
        entry("A", "18.collective_city", "year", same_work="h"),
        entry("A", "18.collective_province", "year", modifiers=["line"], same_work="h"),
        entry("A", "18.individual_province", "year", modifiers=["single"], same_work="h"),
    ]
    # when computed
    cats = categories(entries)
    # then only 2.5 counts
    assert cats["excellence"] == "12.50"


def test_same_work_equal_amounts_count_once() -> None:
    # given the same national acceptance recorded twice under one key
    entries = [
        entry("A", "3.news_national", "H1", same_work="w"),
        entry("A", "3.news_national", "H2", same_work="w"),
    ]
    # when computed
    cats = categories(entries)
    # then 2 counts once
    assert cats["business"] == "22.00"


def test_same_work_never_groups_different_departments() -> None:
    # given two departments using the same key
    doc = bundle(
        [department("A"), department("B")],
        entries=[
            entry("A", "3.news_national", "H1", same_work="w"),
            entry("B", "3.news_provincial", "H1", same_work="w"),
        ],
    )
    # when computed
    rows = printed_rows(doc)
    # then each keeps its own bonus
    assert rows["A"]["categories"]["business"] == "22.00"
    assert rows["B"]["categories"]["business"] == "21.00"


def test_same_work_never_groups_different_items_even_in_one_category() -> None:
    # given a national paper (item 2, 3) and a national news acceptance (item 3, 2), same key
    entries = [
        entry("A", "2.paper_national", "H1", same_work="w"),
        entry("A", "3.news_national", "H1", same_work="w"),
    ]
    # when computed
    cats = categories(entries)
    # then both count
    assert cats["business"] == "25.00"


def test_same_work_never_groups_items_of_different_categories() -> None:
    # given an innovation bonus (item 17) and an honor (item 18) with the same key
    entries = [
        entry("A", "17.promoted_province", "year", same_work="w"),
        entry("A", "18.collective_city", "year", same_work="w"),
    ]
    # when computed
    cats = categories(entries)
    # then both count
    assert cats["excellence"] == "15.00"


def test_same_work_empty_key_is_no_group() -> None:
    # given two bonuses with an empty same_work key
    entries = [
        entry("A", "3.news_national", "H1", same_work=""),
        entry("A", "3.news_provincial", "H1", same_work=""),
    ]
    # when computed
    cats = categories(entries)
    # then both count
    assert cats["business"] == "23.00"


def test_same_work_different_keys_are_different_groups() -> None:
    # given two works, each rewarded twice
    entries = [
        entry("A", "3.news_national", "H1", same_work="w1"),
        entry("A", "3.news_provincial", "H1", same_work="w1"),
        entry("A", "3.news_provincial", "H1", same_work="w2"),
        entry("A", "3.news_municipal", "H1", same_work="w2"),
    ]
    # when computed
    cats = categories(entries)
    # then the largest of each counts: 2 + 1
    assert cats["business"] == "23.00"


def test_same_work_entries_without_key_are_not_in_the_group() -> None:
    # given a keyed pair and an unkeyed bonus of the same rule
    entries = [
        entry("A", "3.news_national", "H1", same_work="w"),
        entry("A", "3.news_provincial", "H1", same_work="w"),
        entry("A", "3.news_provincial", "H1"),
    ]
    # when computed
    cats = categories(entries)
    # then 2 (the group) + 1 (alone)
    assert cats["business"] == "23.00"


def test_same_work_on_a_deduction_is_rejected() -> None:
    # given a deduction carrying a same_work key
    doc = bundle([department("A")], entries=[entry("A", "1.report_missed", "H1", same_work="w")])
    # when parsed / then it is rejected at the key
    assert locations(doc) == ["entries[0].same_work"]


# --- the deduction cap -----------------------------------------------------------------


def test_deductions_stop_at_category_points_and_bonuses_come_after() -> None:
    # given 25 points of deductions and 3 of bonuses in business (the rules.md example)
    entries = [
        entry("A", "1.target_unmet", "year", amount="5", count=5),
        entry("A", "2.paper_national", "H1"),
    ]
    # when computed
    result = row(entries)
    # then business is 0 + 3
    assert result["categories"]["business"] == "3.00"
    assert result["content"] == "53.00"


def test_deductions_never_take_a_category_below_zero() -> None:
    # given 12 points of deductions in capacity (10 points)
    entries = [entry("A", "5.test_failed", "H1", count=6)]
    # when computed
    cats = categories(entries)
    # then capacity is 0, not negative, and no other category is touched
    assert cats == {**FULL, "capacity": "0.00"}


def test_deduction_cap_is_per_category() -> None:
    # given deductions far above business's points and a small one in conduct
    entries = [
        entry("A", "1.target_unmet", "year", amount="5", count=8),
        entry("A", "11.late_early", "H1"),
    ]
    # when computed
    cats = categories(entries)
    # then the excess does not spill into conduct
    assert cats["business"] == "0.00"
    assert cats["conduct"] == "9.80"


def test_deductions_exactly_at_points_leave_zero() -> None:
    # given exactly 10 deducted from integrity (5 + 5) and a 1 bonus elsewhere
    entries = [
        entry("A", "15.responsibility", "year", amount="5"),
        entry("A", "16.sanctioned", "year", amount="5"),
    ]
    # when computed
    cats = categories(entries)
    # then integrity is 0
    assert cats["integrity"] == "0.00"


def test_bonuses_are_never_capped_and_content_may_exceed_70() -> None:
    # given three innovations promoted by the ministry (5 each) on a full excellence
    entries = [entry("A", "17.promoted_ministry", "year", count=3)]
    # when computed
    result = row(entries)
    # then excellence is 25 and content 85
    assert result["categories"]["excellence"] == "25.00"
    assert result["content"] == "85.00"


def test_bonuses_and_deductions_net_within_a_category_below_the_cap() -> None:
    # given 1 deducted and 0.5 added in business
    entries = [
        entry("A", "1.target_unmet", "year", amount="1"),
        entry("A", "3.news_municipal", "H1"),
    ]
    # when computed
    cats = categories(entries)
    # then business is 19.5
    assert cats["business"] == "19.50"


def test_total_may_be_negative() -> None:
    # given a large negative adjustment and everything capped
    entries = [
        entry("A", "1.target_unmet", "year", amount="5", count=5),
        entry("A", "5.test_failed", "H1", count=5),
    ]
    result = row(entries, adjustments=[adjustment("A", "-100")])
    # when computed / then nothing is floored but the deduction cap
    assert result["content"] == "40.00"
    assert result["adjustment"] == "-100.00"
    assert result["total"] == "-60.00"


def test_adjustments_add_up_with_their_signs() -> None:
    # given two adjustments of opposite sign
    result = row([], adjustments=[adjustment("A", "2.5"), adjustment("A", "-1")])
    # when computed / then the adjustment is their sum, outside content
    assert result["adjustment"] == "1.50"
    assert result["content"] == "70.00"
    assert result["total"] == "71.50"


def test_entries_of_one_department_do_not_touch_another() -> None:
    # given a deduction for A only
    doc = bundle([department("A"), department("B")], entries=[entry("A", "12.secret_leak", "H1")])
    # when computed
    rows = printed_rows(doc)
    # then B keeps full affairs
    assert rows["A"]["categories"]["affairs"] == "5.00"
    assert rows["B"]["categories"]["affairs"] == "10.00"
