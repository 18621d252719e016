"""Changed schemes (rules.md preamble): points, amounts, quotas, coefficients, rounds, honors as data."""

from __future__ import annotations

from typing import Any

from tests.engine.builders import (
    ballot,
    bundle,
    department,
    entry,
    find_kind,
    find_rule,
    locations,
    printed,
    printed_rows,
    ranked,
    scheme_copy,
    with_honor,
)


def category(doc: dict[str, Any], code: str) -> dict[str, Any]:
    """The editable category dict of a scheme document."""
    return next(c for c in doc["categories"] if c["code"] == code)  # type: ignore[no-any-return]


def test_inline_scheme_without_changes_gives_the_same_results_but_its_own_id() -> None:
    # given the same year with the built-in id and with an inline copy
    deps = [department("S", "service"), department("G", "general")]
    entries = [entry("S", "1.target_unmet", "year", amount="3")]
    ballots = [ballot("leader", "year", {"S": "good", "G": "fair"})]
    builtin = printed(bundle(deps, entries=entries, ballots=ballots))
    inline = printed(bundle(deps, entries=entries, ballots=ballots, scheme=scheme_copy("copy")))
    # when computed / then only the scheme id differs
    assert inline["scheme"] == "copy"
    assert builtin["scheme"] == "cz-jxw-2016"
    assert inline["departments"] == builtin["departments"]


def test_changed_category_points_change_the_start_and_the_cap() -> None:
    # given business worth 30 instead of 20
    scheme = scheme_copy("points")
    category(scheme, "business")["points"] = "30"
    deps = [department("A"), department("B")]
    entries = [entry("B", "1.target_unmet", "year", amount="5", count=7)]
    # when computed
    rows = printed_rows(bundle(deps, entries=entries, scheme=scheme))
    # then business starts at 30, content at 80, and 35 deducted stops at 30
    assert rows["A"]["categories"]["business"] == "30.00"
    assert rows["A"]["content"] == "80.00"
    assert rows["B"]["categories"]["business"] == "0.00"


def test_changed_each_amount() -> None:
    # given a missed report costing 0.3 instead of 0.2
    scheme = scheme_copy("amount")
    find_rule(scheme, "1.report_missed")["amount"] = "0.3"
    entries = [entry("A", "1.report_missed", "H1", count=2)]
    # when computed
    rows = printed_rows(bundle([department("A")], entries=entries, scheme=scheme))
    # then 0.6 is deducted
    assert rows["A"]["categories"]["business"] == "19.40"


def test_changed_range_bounds() -> None:
    # given an unmet target ranging 1–8 instead of 1–5
    scheme = scheme_copy("range")
    find_rule(scheme, "1.target_unmet")["max"] = "8"
    entries = [entry("A", "1.target_unmet", "year", amount="7")]
    # when computed / then 7 is allowed under the copy and refused under the original
    rows = printed_rows(bundle([department("A")], entries=entries, scheme=scheme))
    assert rows["A"]["categories"]["business"] == "13.00"
    assert locations(bundle([department("A")], entries=entries)) == ["entries[0]"]


def test_changed_quota() -> None:
    # given a service quota of 8 instead of 6
    scheme = scheme_copy("quota")
    find_rule(scheme, "3.info_shortfall")["quota"] = {"service": 8, "general": 3}
    deps = [department("S", "service"), department("G", "general")]
    entries = [
        entry("S", "3.info_shortfall", "H1", actual=6),
        entry("G", "3.info_shortfall", "H1", actual=2),
    ]
    # when computed
    rows = printed_rows(bundle(deps, entries=entries, scheme=scheme))
    # then S misses 2 and G misses 1
    assert rows["S"]["categories"]["business"] == "19.60"
    assert rows["G"]["categories"]["business"] == "19.80"


def test_changed_modifier_factor() -> None:
    # given short papers earning 0.4 of the amount
    scheme = scheme_copy("factor")
    find_rule(scheme, "2.paper_national")["modifiers"]["short"]["factor"] = "0.4"
    entries = [entry("A", "2.paper_national", "H1", modifiers=["short"])]
    # when computed
    rows = printed_rows(bundle([department("A")], entries=entries, scheme=scheme))
    # then 3 × 0.4 = 1.2
    assert rows["A"]["categories"]["business"] == "21.20"


def test_rule_made_once_a_year() -> None:
    # given late materials made once a year
    scheme = scheme_copy("once")
    find_rule(scheme, "8.late_material")["once_a_year"] = True
    entries = [entry("A", "8.late_material", "H1"), entry("A", "8.late_material", "H2")]
    # when parsed / then the second entry is refused
    assert locations(bundle([department("A")], entries=entries, scheme=scheme)) == ["entries[1]"]


def test_changed_grade_coefficient() -> None:
    # given good worth 0.7 instead of 0.8
    scheme = scheme_copy("coefficient")
    grade = next(g for g in scheme["evaluation"]["grades"] if g["code"] == "good")
    grade["coefficient"] = "0.7"
    ballots = [ballot("leader", "year", {"A": "good"})]
    # when computed
    rows = printed_rows(bundle([department("A")], ballots=ballots, scheme=scheme))
    # then 10 × 0.7
    assert rows["A"]["evaluation"]["leader"] == "7.00"


def test_changed_kind_points() -> None:
    # given democratic worth 15 for general departments and leader 15 for service ones
    scheme = scheme_copy("kinds")
    find_kind(scheme, "democratic")["points"]["general"] = "15"
    find_kind(scheme, "leader")["points"]["service"] = "15"
    deps = [department("S", "service"), department("G", "general")]
    ballots = [
        ballot("democratic", "year", {"S": "excellent", "G": "excellent"}),
        ballot("leader", "year", {"S": "good", "G": "good"}),
    ]
    # when computed
    rows = printed_rows(bundle(deps, ballots=ballots, scheme=scheme))
    # then the new points apply
    assert rows["G"]["evaluation"]["democratic"] == "15.00"
    assert rows["S"]["evaluation"]["leader"] == "12.00"
    assert rows["S"]["evaluation"]["democratic"] == "10.00"


def test_style_rated_for_general_departments_when_given_points() -> None:
    # given style worth 5 for general departments
    scheme = scheme_copy("style")
    find_kind(scheme, "style")["points"]["general"] = "5"
    ballots = [ballot("style", "year", {"G": "fair"})]
    # when computed
    rows = printed_rows(bundle([department("G", "general")], ballots=ballots, scheme=scheme))
    # then the general department gets 5 × 0.6 and is expected to be graded
    assert rows["G"]["evaluation"]["style"] == "3.00"


def test_added_round_is_accepted_and_averaged() -> None:
    # given democratic held in H1, H2 and year
    scheme = scheme_copy("rounds")
    find_kind(scheme, "democratic")["rounds"] = [
        {"period": "H1"},
        {"period": "H2"},
        {"period": "year"},
    ]
    ballots = [
        ballot("democratic", "H1", {"A": "excellent"}),
        ballot("democratic", "H2", {"A": "good"}),
        ballot("democratic", "year", {"A": "fair"}),
    ]
    # when computed
    rows = printed_rows(bundle([department("A")], ballots=ballots, scheme=scheme))
    # then (10 + 8 + 6) / 3; the built-in scheme refuses the H2 ballot
    assert rows["A"]["evaluation"]["democratic"] == "8.00"
    assert "ballots[1].round" in locations(bundle([department("A")], ballots=ballots))


def test_removed_round_refuses_its_ballots() -> None:
    # given democratic held at year end only
    scheme = scheme_copy("one-round")
    find_kind(scheme, "democratic")["rounds"] = [{"period": "year"}]
    ballots = [ballot("democratic", "H1", {"A": "excellent"})]
    # when parsed / then the H1 ballot is invalid input
    assert locations(bundle([department("A")], ballots=ballots, scheme=scheme)) == [
        "ballots[0].round"
    ]


def test_leader_evaluation_held_twice() -> None:
    # given leader evaluation in H1 (weight 1) and year (weight 2)
    scheme = scheme_copy("leader-twice")
    find_kind(scheme, "leader")["rounds"] = [
        {"period": "H1", "weight": "1"},
        {"period": "year", "weight": "2"},
    ]
    ballots = [
        ballot("leader", "H1", {"A": "poor"}),
        ballot("leader", "year", {"A": "excellent"}),
    ]
    # when computed
    rows = printed_rows(bundle([department("A")], ballots=ballots, scheme=scheme))
    # then (0 + 2 × 10) / 3
    assert rows["A"]["evaluation"]["leader"] == "6.67"


def test_changed_honor_sizes() -> None:
    # given 3 advanced, 1 recommended, 2 praised, 1 progress, 1 bottom
    scheme = scheme_copy("honors")
    scheme["honors"] = {"advanced": 3, "recommended": 1, "praised": 2, "progress": 1, "bottom": 1}
    totals = {f"D{i}": str(-i) for i in range(1, 9)}
    previous = {"D6": 8, "D7": 8}
    # when computed
    rows = ranked(totals, previous_ranks=previous, scheme=scheme)
    # then each tier has its new size
    assert with_honor(rows, "advanced") == {"D1", "D2", "D3"}
    assert with_honor(rows, "recommended") == {"D1"}
    assert with_honor(rows, "praised") == {"D4", "D5"}
    assert with_honor(rows, "progress") == {"D6"}
    assert with_honor(rows, "bottom") == {"D8"}


def test_honor_switched_off_with_size_zero() -> None:
    # given no praised and no bottom
    scheme = scheme_copy("no-praise")
    scheme["honors"] = {"advanced": 2, "recommended": 0, "praised": 0, "progress": 0, "bottom": 0}
    # when computed
    rows = ranked({"A": "3", "B": "2", "C": "1"}, scheme=scheme)
    # then only advanced is given
    assert with_honor(rows, "advanced") == {"A", "B"}
    assert all(r["honors"] in ([], ["advanced"]) for r in rows.values())


def test_added_rule_and_item() -> None:
    # given a new item 19 in excellence with a bonus rule of 0.75 per case
    scheme = scheme_copy("new-item")
    category(scheme, "excellence")["items"].append(
        {
            "number": 19,
            "title": "新增事项",
            "offices": ["ZH"],
            "rules": [
                {
                    "id": "19.new",
                    "name": "新增加分",
                    "direction": "bonus",
                    "kind": "each",
                    "unit": "项",
                    "amount": "0.75",
                    "offices": ["ZH"],
                }
            ],
        }
    )
    entries = [entry("A", "19.new", "year", count=2)]
    # when computed
    rows = printed_rows(bundle([department("A")], entries=entries, scheme=scheme))
    # then excellence gains 1.5; the built-in scheme knows no such rule
    assert rows["A"]["categories"]["excellence"] == "11.50"
    assert locations(bundle([department("A")], entries=entries)) == ["entries[0].rule"]


def test_drop_extremes_threshold_is_a_setting() -> None:
    # given dropping at 5 grades; A has 4, B has 5
    scheme = scheme_copy("drop5")
    scheme["evaluation"]["options"]["drop_extremes_min_grades"] = 5
    grades = ["excellent", "good", "good", "fair", "poor"]
    ballots = [ballot("leader", "year", {"A": g, "B": g}) for g in grades[:4]]
    ballots.append(ballot("leader", "year", {"B": grades[4]}))
    # when computed
    rows = printed_rows(bundle([department("A"), department("B")], ballots=ballots, scheme=scheme))
    # then A keeps all 4: 10 × 3.2/4; B drops excellent and poor: 10 × 2.2/3
    assert rows["A"]["evaluation"]["leader"] == "8.00"
    assert rows["B"]["evaluation"]["leader"] == "7.33"
