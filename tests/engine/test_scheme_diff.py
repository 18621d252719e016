"""scheme_diff: what changed between two schemes, e.g. 2016 → 2017."""

from __future__ import annotations

from kaohe.engine import builtin_scheme, parse_scheme
from kaohe.engine.scheme import CHANGE_CODES, Change, scheme_diff
from tests.engine.builders import SCHEME_ID, find_kind, find_rule, scheme_copy


def test_a_scheme_against_its_own_copy_has_no_changes() -> None:
    # given the 2016 scheme and a copy under another id
    old = builtin_scheme(SCHEME_ID)
    new = parse_scheme(scheme_copy("cz-jxw-2017"))
    # then nothing changed (the id is not a change of the method)
    assert scheme_diff(old, new) == []


def test_diff_of_the_2016_scheme_and_a_modified_copy_lists_exactly_the_changes() -> None:
    # given a copy of 2016 with one change of each sort the office makes from year to year
    doc = scheme_copy("cz-jxw-2017")
    doc["categories"][0]["points"] = "25"
    doc["categories"][0]["items"][0]["title"] = "年度目标任务"
    find_rule(doc, "1.report_missed")["amount"] = "0.3"
    find_rule(doc, "1.target_unmet")["max"] = "3"
    find_rule(doc, "3.info_shortfall")["quota"] = {"service": 8, "general": 2}
    find_rule(doc, "2.paper_national")["modifiers"]["short"]["factor"] = "0.4"
    find_rule(doc, "2.topic_unmet")["name"] = "未完成重点课题"
    doc["evaluation"]["grades"][1]["coefficient"] = "0.7"
    find_kind(doc, "style")["points"]["general"] = "10"
    find_kind(doc, "democratic")["rounds"][1]["weight"] = "2"
    doc["honors"]["advanced"] = 6
    doc["offices"]["XC"] = "宣传处"
    added = {"id": "1.new", "name": "新规则", "direction": "deduct", "kind": "each", "unit": "次"}
    doc["categories"][0]["items"][0]["rules"].append({**added, "amount": "1", "offices": ["ZH"]})
    # when the two are compared
    changes = scheme_diff(builtin_scheme(SCHEME_ID), parse_scheme(doc))
    # then each change is listed once, with its values before and after
    got = {(c.code, c.detail, c.before, c.after) for c in changes}
    assert got == {
        ("office_added", "", "", "宣传处"),
        ("category_points", "", "20", "25"),
        ("item_renamed", "", "年度目标任务完成情况", "年度目标任务"),
        ("rule_added", "1", "", "1"),
        ("rule_amount", "", "0.2", "0.3"),
        ("rule_max", "", "5", "3"),
        ("rule_quota", "service", "6", "8"),
        ("modifier_factor", "报刊文章不足500字或刊物文章不足1000字(减半)", "0.5", "0.4"),
        ("rule_renamed", "", "未完成年度经信重点课题计划", "未完成重点课题"),
        ("grade_coefficient", "", "0.8", "0.7"),
        ("kind_points", "general", "0", "10"),
        ("round_weight", "year", "1", "2"),
        ("honor_size", "", "5", "6"),
    }
    assert len(changes) == len(got)
    subjects = {c.code: c.subject for c in changes}
    assert subjects["category_points"] == "业务工作"
    assert subjects["rule_amount"] == "半年度完成情况、督查系统网上申报少报"
    assert subjects["honor_size"] == "advanced"


def test_removed_rules_categories_and_grades_are_listed_as_removed() -> None:
    # given a copy without the last category and the last grade
    doc = scheme_copy()
    gone = doc["categories"].pop()
    doc["evaluation"]["grades"].pop()
    # when compared
    changes = scheme_diff(builtin_scheme(SCHEME_ID), parse_scheme(doc))
    # then the category, its items, its rules and the grade are removed
    codes = [c.code for c in changes]
    rules = sum(len(i["rules"]) for i in gone["items"])
    assert codes.count("category_removed") == 1
    assert codes.count("item_removed") == len(gone["items"])
    assert codes.count("rule_removed") == rules
    assert codes.count("grade_removed") == 1


def test_every_change_code_has_its_english_words() -> None:
    # given a change of each code, then its text names what changed and the values
    for code in CHANGE_CODES:
        text = Change(code, "S", "d", "1", "2").text
        assert text.startswith(CHANGE_CODES[code]) and text.endswith("1 -> 2")
