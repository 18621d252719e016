"""Bad input (bundle.md, Bad input): every field rule violated once, rejected with its location."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from kaohe.engine import InvalidInput, parse_bundle, parse_bundle_bytes
from tests.engine.builders import (
    adjustment,
    ballot,
    bundle,
    department,
    entry,
    find_rule,
    locations,
    problems,
    scheme_copy,
    veto,
)

Doc = dict[str, Any]


def valid() -> Doc:
    """A valid bundle touching every field: S (service) and G (general)."""
    return bundle(
        [department("S", "service"), department("G", "general")],
        entries=[
            entry("S", "4.study_absence", "H1", count=2),  # 0
            entry("S", "1.target_unmet", "year", amount="2.5"),  # 1
            entry("G", "3.info_shortfall", "H2", actual=1),  # 2
            entry("S", "2.paper_national", "H1", modifiers=["short"], same_work="w"),  # 3
            entry("S", "2.topic_unmet", "year"),  # 4
        ],
        ballots=[
            ballot("democratic", "H1", {"S": "excellent", "G": "good"}),  # 0
            ballot("style", "year", {"S": "fair"}),  # 1
            ballot("leader", "year", {"S": "good", "G": "excellent"}),  # 2
        ],
        adjustments=[adjustment("G", "-1.5")],
        vetoes=[veto("S", "criticised")],
        previous_ranks={"S": 3, "G": 7},
    )


def test_the_valid_bundle_is_valid() -> None:
    # given the base bundle of this file / when parsed / then accepted, every part read
    parsed = parse_bundle(valid())
    assert [d.code for d in parsed.departments] == ["S", "G"]
    counts = [len(parsed.entries), len(parsed.ballots), len(parsed.adjustments), len(parsed.vetoes)]
    assert counts == [5, 3, 1, 1]
    assert dict(parsed.previous_ranks) == {"S": 3, "G": 7}


def _set(path: list[Any], value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop(path: list[Any]) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def _append(key: str, value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        doc[key].append(value)

    return change


# Every row of bundle.md's field table, violated once: (change, expected location).
VIOLATIONS: dict[str, tuple[Callable[[Doc], None], str]] = {
    "format wrong": (_set(["format"], "kaohe-bundle/2"), "format"),
    "format missing": (_drop(["format"]), ""),
    "year a string": (_set(["year"], "2016"), "year"),
    "year a boolean": (_set(["year"], True), "year"),
    "year missing": (_drop(["year"]), ""),
    "year before 2000": (_set(["year"], 1999), "year"),
    "year after 2100": (_set(["year"], 2101), "year"),
    "entry count over 999": (_set(["entries", 0, "count"], 1000), "entries[0].count"),
    "entry count 10**12": (_set(["entries", 0, "count"], 10**12), "entries[0].count"),
    "entry count 2**31": (_set(["entries", 0, "count"], 2**31), "entries[0].count"),
    "shortfall actual over 9999": (_set(["entries", 2, "actual"], 10000), "entries[2].actual"),
    "adjustment over 100": (_set(["adjustments", 0, "amount"], "100.01"), "adjustments[0].amount"),
    "adjustment under -100": (_set(["adjustments", 0, "amount"], -101), "adjustments[0].amount"),
    "previous rank over 9999": (_set(["previous_ranks", "S"], 10000), "previous_ranks.S"),
    "scheme unknown id": (_set(["scheme"], "cz-jxw-2099"), "scheme"),
    "scheme a number": (_set(["scheme"], 2016), "scheme"),
    "scheme missing": (_drop(["scheme"]), ""),
    "departments not a list": (_set(["departments"], {"S": "service"}), "departments"),
    "departments missing": (_drop(["departments"]), ""),
    "department not an object": (_append("departments", "X"), "departments[2]"),
    "department code twice": (
        _append("departments", department("S", "general")),
        "departments[2].code",
    ),
    "department code empty": (
        _append("departments", department("", "general")),
        "departments[2].code",
    ),
    "department code not a string": (
        _append("departments", {"code": 7, "type": "general"}),
        "departments[2].code",
    ),
    "department code missing": (_append("departments", {"type": "general"}), "departments[2]"),
    "department type unknown": (_set(["departments", 1, "type"], "other"), "departments[1].type"),
    "department type missing": (_drop(["departments", 1, "type"]), "departments[1]"),
    "entries not a list": (_set(["entries"], {}), "entries"),
    "entry not an object": (_append("entries", ["S", "4.study_absence"]), "entries[5]"),
    "entry department unknown": (_set(["entries", 0, "department"], "X"), "entries[0].department"),
    "entry department missing": (_drop(["entries", 0, "department"]), "entries[0]"),
    "entry rule unknown": (_set(["entries", 0, "rule"], "4.absence"), "entries[0].rule"),
    "entry rule missing": (_drop(["entries", 0, "rule"]), "entries[0]"),
    "entry period unknown": (_set(["entries", 0, "period"], "Q1"), "entries[0].period"),
    "entry period missing": (_drop(["entries", 0, "period"]), "entries[0]"),
    "entry count zero": (_set(["entries", 0, "count"], 0), "entries[0].count"),
    "entry count negative": (_set(["entries", 0, "count"], -2), "entries[0].count"),
    "entry count a string": (_set(["entries", 0, "count"], "2"), "entries[0].count"),
    "entry count a boolean": (_set(["entries", 0, "count"], True), "entries[0].count"),
    "once-a-year count two": (_set(["entries", 4, "count"], 2), "entries[4].count"),
    "once-a-year entry twice": (
        _append("entries", entry("S", "2.topic_unmet", "H1")),
        "entries[5]",
    ),
    "range amount missing": (_drop(["entries", 1, "amount"]), "entries[1]"),
    "range amount above max": (_set(["entries", 1, "amount"], "5.5"), "entries[1]"),
    "range amount below min": (_set(["entries", 1, "amount"], "0.5"), "entries[1]"),
    "range amount zero": (_set(["entries", 1, "amount"], 0), "entries[1]"),
    "range amount negative": (_set(["entries", 1, "amount"], "-2"), "entries[1]"),
    "range amount not a number": (_set(["entries", 1, "amount"], "two"), "entries[1]"),
    "range amount a boolean": (_set(["entries", 1, "amount"], True), "entries[1]"),
    "amount on an each rule": (_set(["entries", 0, "amount"], "0.2"), "entries[0]"),
    "amount on a shortfall rule": (_set(["entries", 2, "amount"], "0.2"), "entries[2]"),
    "shortfall actual missing": (_drop(["entries", 2, "actual"]), "entries[2]"),
    "shortfall actual negative": (_set(["entries", 2, "actual"], -1), "entries[2].actual"),
    "shortfall actual a string": (_set(["entries", 2, "actual"], "1"), "entries[2].actual"),
    "actual on an each rule": (_set(["entries", 0, "actual"], 1), "entries[0]"),
    "actual on a range rule": (_set(["entries", 1, "actual"], 1), "entries[1]"),
    "shortfall period year": (_set(["entries", 2, "period"], "year"), "entries[2].period"),
    "shortfall with a count": (_set(["entries", 2, "count"], 1), "entries[2].count"),
    "shortfall twice a half-year": (
        _append("entries", entry("G", "3.info_shortfall", "H2", actual=2)),
        "entries[5]",
    ),
    "modifier not allowed": (_set(["entries", 0, "modifiers"], ["short"]), "entries[0].modifiers"),
    "modifier of another rule": (
        _set(["entries", 3, "modifiers"], ["line"]),
        "entries[3].modifiers",
    ),
    "two modifiers": (
        _set(["entries", 3, "modifiers"], ["short", "short"]),
        "entries[3].modifiers",
    ),
    "modifiers not a list": (_set(["entries", 3, "modifiers"], "short"), "entries[3].modifiers"),
    "modifier not a string": (
        _set(["entries", 3, "modifiers"], [["short"]]),
        "entries[3].modifiers",
    ),
    "same_work on a deduction": (_set(["entries", 0, "same_work"], "w"), "entries[0].same_work"),
    "same_work not a string": (_set(["entries", 3, "same_work"], 3), "entries[3].same_work"),
    "ballots not a list": (_set(["ballots"], {}), "ballots"),
    "ballot not an object": (_append("ballots", "leader"), "ballots[3]"),
    "ballot kind unknown": (_set(["ballots", 2, "kind"], "peer"), "ballots[2].kind"),
    "ballot kind missing": (_drop(["ballots", 2, "kind"]), "ballots[2]"),
    "ballot round unknown": (_set(["ballots", 2, "round"], "Q3"), "ballots[2].round"),
    "democratic round H2 not listed": (_set(["ballots", 0, "round"], "H2"), "ballots[0].round"),
    "leader round H1 not listed": (_set(["ballots", 2, "round"], "H1"), "ballots[2].round"),
    "style round H2 not listed": (_set(["ballots", 1, "round"], "H2"), "ballots[1].round"),
    "ballot round missing": (_drop(["ballots", 2, "round"]), "ballots[2]"),
    "grades missing": (_drop(["ballots", 2, "grades"]), "ballots[2]"),
    "grades not an object": (_set(["ballots", 2, "grades"], ["S", "good"]), "ballots[2].grades"),
    "grade unknown": (_set(["ballots", 2, "grades", "S"], "outstanding"), "ballots[2].grades.S"),
    "grade not a string": (_set(["ballots", 2, "grades", "S"], 1), "ballots[2].grades.S"),
    "grade a list": (_set(["ballots", 2, "grades", "S"], ["good"]), "ballots[2].grades.S"),
    "grade for unknown department": (
        _set(["ballots", 2, "grades", "X"], "good"),
        "ballots[2].grades.X",
    ),
    "style grade for general department": (
        _set(["ballots", 1, "grades", "G"], "good"),
        "ballots[1].grades.G",
    ),
    "adjustments not a list": (_set(["adjustments"], {}), "adjustments"),
    "adjustment amount not a number": (
        _set(["adjustments", 0, "amount"], "-1,5"),
        "adjustments[0].amount",
    ),
    "adjustment amount a boolean": (
        _set(["adjustments", 0, "amount"], False),
        "adjustments[0].amount",
    ),
    "adjustment amount missing": (_drop(["adjustments", 0, "amount"]), "adjustments[0]"),
    "adjustment reason missing": (_drop(["adjustments", 0, "reason"]), "adjustments[0]"),
    "adjustment reason empty": (_set(["adjustments", 0, "reason"], " "), "adjustments[0].reason"),
    "adjustment reason not a string": (
        _set(["adjustments", 0, "reason"], 1),
        "adjustments[0].reason",
    ),
    "adjustment department unknown": (
        _set(["adjustments", 0, "department"], "X"),
        "adjustments[0].department",
    ),
    "adjustment department a list": (
        _set(["adjustments", 0, "department"], ["G"]),
        "adjustments[0].department",
    ),
    "vetoes not a list": (_set(["vetoes"], "S"), "vetoes"),
    "veto reason unknown": (_set(["vetoes", 0, "reason"], "late"), "vetoes[0].reason"),
    "veto reason a list": (_set(["vetoes", 0, "reason"], ["criticised"]), "vetoes[0].reason"),
    "veto reason missing": (_drop(["vetoes", 0, "reason"]), "vetoes[0]"),
    "veto department unknown": (_set(["vetoes", 0, "department"], "X"), "vetoes[0].department"),
    "veto department an object": (_set(["vetoes", 0, "department"], {}), "vetoes[0].department"),
    "previous_ranks not an object": (_set(["previous_ranks"], [3, 7]), "previous_ranks"),
    "previous rank zero": (_set(["previous_ranks", "S"], 0), "previous_ranks.S"),
    "previous rank a string": (_set(["previous_ranks", "S"], "3"), "previous_ranks.S"),
    "previous rank a boolean": (_set(["previous_ranks", "S"], True), "previous_ranks.S"),
    "previous rank of unknown department": (_set(["previous_ranks", "X"], 4), "previous_ranks.X"),
    "entry department a list": (_set(["entries", 0, "department"], ["S"]), "entries[0].department"),
    "entry rule a list": (_set(["entries", 0, "rule"], ["4.study_absence"]), "entries[0].rule"),
    "entry period a list": (_set(["entries", 0, "period"], ["H1"]), "entries[0].period"),
    "ballot kind a list": (_set(["ballots", 2, "kind"], ["leader"]), "ballots[2].kind"),
    "ballot round a list": (_set(["ballots", 2, "round"], ["year"]), "ballots[2].round"),
    "department type a list": (
        _set(["departments", 1, "type"], ["general"]),
        "departments[1].type",
    ),
}


@pytest.mark.parametrize("case", list(VIOLATIONS))
def test_every_field_rule_violated_once_is_rejected_with_its_location(case: str) -> None:
    # given the valid bundle with one rule violated
    change, location = VIOLATIONS[case]
    doc = valid()
    change(doc)
    # when parsed
    with pytest.raises(InvalidInput) as info:
        parse_bundle(doc)
    # then the problem is reported at its location, in a plain sentence
    found = info.value.problems
    assert location in [p.location for p in found], [str(p) for p in found]
    for p in found:
        assert p.message and p.message[0].isascii()
        assert str(p) == (f"{p.location}: {p.message}" if p.location else p.message)


@pytest.mark.parametrize(
    ("case", "field"),
    [("format missing", "format"), ("year missing", "year"), ("scheme missing", "scheme")],
)
def test_missing_top_level_field_is_named(case: str, field: str) -> None:
    # given a bundle without a required top-level field
    change, _ = VIOLATIONS[case]
    doc = valid()
    change(doc)
    # when parsed / then the message names the field
    assert any(field in text for text in problems(doc))


def test_the_bounds_themselves_are_accepted() -> None:
    # given every bounded number at its bound (docs/bundle.md, Limits)
    doc = valid()
    doc["year"] = 2100
    doc["entries"][0]["count"] = 999
    doc["entries"][2]["actual"] = 9999
    doc["adjustments"] = [adjustment("G", "-100"), adjustment("S", 100)]
    doc["previous_ranks"] = {"S": 9999, "G": 1}
    # when parsed / then accepted, the bounds kept as given
    parsed = parse_bundle(doc)
    assert (parsed.year, dict(parsed.previous_ranks)) == (2100, {"S": 9999, "G": 1})
    doc["year"] = 2000
    assert parse_bundle(doc).year == 2000


def test_a_count_out_of_bounds_names_the_bounds() -> None:
    doc = valid()
    doc["entries"][0]["count"] = 10**12
    assert problems(doc) == [
        "entries[0].count: must be an integer from 1 to 999, got 1000000000000"
    ]


def test_range_amount_outside_bounds_message_has_the_documented_shape() -> None:
    # given thirteen entries, the last an unmet target decided at 7 (bounds 1–5)
    doc = valid()
    doc["entries"] = [entry("S", "4.study_absence", "H1") for _ in range(12)]
    doc["entries"].append(entry("S", "1.target_unmet", "year", amount="7"))
    # when parsed / then the message reads as in bundle.md
    assert problems(doc) == [
        "entries[12]: rule 1.target_unmet needs an amount between 1 and 5, got 7"
    ]


def test_range_amount_given_as_json_integer_has_the_same_message() -> None:
    # given an amount of 7 as a JSON integer
    doc = valid()
    doc["entries"] = [entry("S", "1.target_unmet", "year", amount=7)]
    # when parsed / then the same plain sentence
    assert problems(doc) == [
        "entries[0]: rule 1.target_unmet needs an amount between 1 and 5, got 7"
    ]


def test_several_errors_are_reported_together() -> None:
    # given a bundle with five unrelated errors
    doc = valid()
    doc["year"] = "2016"
    doc["entries"][1]["amount"] = "9"
    doc["entries"][0]["rule"] = "nope"
    doc["ballots"][2]["grades"]["S"] = "great"
    doc["previous_ranks"]["G"] = 0
    # when parsed
    found = locations(doc)
    # then every one is listed
    for location in [
        "year",
        "entries[1]",
        "entries[0].rule",
        "ballots[2].grades.S",
        "previous_ranks.G",
    ]:
        assert location in found
    assert len(found) == 5


def test_errors_in_many_entries_are_all_reported() -> None:
    # given twenty entries each with an unknown rule
    doc = valid()
    doc["entries"] = [entry("S", f"x.{i}", "H1") for i in range(20)]
    # when parsed / then twenty problems
    assert locations(doc) == [f"entries[{i}].rule" for i in range(20)]


@pytest.mark.parametrize(
    ("where", "location"),
    [
        ([], ""),
        (["departments", 0], "departments[0]"),
        (["entries", 0], "entries[0]"),
        (["entries", 2], "entries[2]"),
        (["ballots", 0], "ballots[0]"),
        (["adjustments", 0], "adjustments[0]"),
        (["vetoes", 0], "vetoes[0]"),
    ],
)
def test_unknown_field_is_an_error(where: list[Any], location: str) -> None:
    # given an object of the bundle with a field the format does not define
    doc = valid()
    target: Any = doc
    for key in where:
        target = target[key]
    target["colour"] = "red"
    # when parsed / then the unknown field is reported where it is
    found = problems(doc)
    assert len(found) == 1
    assert found[0].startswith(f"{location}: " if location else "unknown")
    assert "colour" in found[0]


def test_unknown_field_in_an_inline_scheme_is_an_error() -> None:
    # given an inline scheme with an unknown field in a rule
    scheme = scheme_copy()
    find_rule(scheme, "1.report_missed")["colour"] = "red"
    doc = valid()
    doc["scheme"] = scheme
    # when parsed / then reported under scheme
    found = problems(doc)
    assert len(found) == 1
    assert found[0].startswith("scheme.categories[0].items[0].rules[0]")
    assert "colour" in found[0]


def test_unknown_top_level_field_in_an_inline_scheme_is_an_error() -> None:
    # given an inline scheme with an unknown top-level field
    scheme = scheme_copy()
    scheme["colour"] = "red"
    doc = valid()
    doc["scheme"] = scheme
    # when parsed / then reported at scheme
    found = problems(doc)
    assert found == [found[0]] and found[0].startswith("scheme")
    assert "colour" in found[0]


def test_inline_scheme_errors_are_located_inside_the_scheme() -> None:
    # given an inline scheme with a negative amount
    scheme = scheme_copy()
    find_rule(scheme, "4.study_absence")["amount"] = "-0.2"
    doc = valid()
    doc["scheme"] = scheme
    # when parsed / then at that rule's amount
    assert locations(doc) == ["scheme.categories[1].items[0].rules[0].amount"]


# --- the JSON text itself ----------------------------------------------------------------


def text_with(doc: Doc, placeholder: str, raw: str) -> bytes:
    """The bundle's JSON text with a placeholder string replaced by raw JSON."""
    text = json.dumps(doc, ensure_ascii=False)
    assert f'"{placeholder}"' in text
    return text.replace(f'"{placeholder}"', raw).encode("utf-8")


def located(data: bytes) -> list[str]:
    """Problem locations reported for a bundle's bytes."""
    with pytest.raises(InvalidInput) as info:
        parse_bundle_bytes(data)
    return [p.location for p in info.value.problems]


def test_valid_bytes_parse() -> None:
    # given the valid bundle as UTF-8 JSON / when parsed / then what the document gives
    parsed = parse_bundle_bytes(json.dumps(valid(), ensure_ascii=False).encode("utf-8"))
    assert parsed == parse_bundle(valid())


@pytest.mark.parametrize(
    ("path", "raw", "location"),
    [
        (["entries", 1, "amount"], "2.5", "entries[1]"),
        (["entries", 1, "amount"], "3.0", "entries[1]"),
        (["entries", 1, "amount"], "2e0", "entries[1]"),
        (["adjustments", 0, "amount"], "-1.5", "adjustments[0].amount"),
        (["adjustments", 0, "amount"], "1.0", "adjustments[0].amount"),
        (["entries", 0, "count"], "2.0", "entries[0].count"),
        (["entries", 2, "actual"], "1.0", "entries[2].actual"),
        (["year"], "2016.0", "year"),
        (["previous_ranks", "S"], "3.0", "previous_ranks.S"),
    ],
)
def test_json_floats_are_rejected(path: list[Any], raw: str, location: str) -> None:
    # given a number written as a binary float where a decimal string or integer belongs
    doc = valid()
    _set(path, "__FLOAT__")(doc)
    data = text_with(doc, "__FLOAT__", raw)
    # when parsed / then rejected at its place
    assert location in located(data)


def test_json_float_message_says_to_write_a_string() -> None:
    # given an adjustment written as the float -1.5
    doc = valid()
    doc["adjustments"][0]["amount"] = "__FLOAT__"
    data = text_with(doc, "__FLOAT__", "-1.5")
    # when parsed
    with pytest.raises(InvalidInput) as info:
        parse_bundle_bytes(data)
    # then the message points at the float
    assert "-1.5" in str(info.value)


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity"])
def test_json_non_finite_constants_are_rejected(raw: str) -> None:
    # given an amount written as a non-standard JSON constant
    doc = valid()
    doc["adjustments"][0]["amount"] = "__X__"
    # when parsed / then rejected at the amount
    assert "adjustments[0].amount" in located(text_with(doc, "__X__", raw))


def test_json_float_in_an_inline_scheme_is_rejected() -> None:
    # given an inline scheme whose rule amount is the float 0.2
    doc = valid()
    scheme = scheme_copy()
    find_rule(scheme, "1.report_missed")["amount"] = "__FLOAT__"
    doc["scheme"] = scheme
    # when parsed / then rejected at the scheme's rule amount
    data = text_with(doc, "__FLOAT__", "0.2")
    assert located(data) == ["scheme.categories[0].items[0].rules[0].amount"]


@pytest.mark.parametrize(
    ("before", "after", "location"),
    [
        ('"year": 2016', '"year": 2016, "year": 2017', ""),
        ('"code": "S"', '"code": "S", "code": "S"', "departments[0]"),
        (
            '"rule": "4.study_absence"',
            '"rule": "4.study_absence", "rule": "5.test_failed"',
            "entries[0]",
        ),
        ('"grades": {"S": "good"', '"grades": {"S": "good", "S": "poor"', "ballots[2].grades"),
        ('"reason": "criticised"', '"reason": "criticised", "reason": "dereliction"', "vetoes[0]"),
        ('"amount": "-1.5"', '"amount": "-1.5", "amount": "1.5"', "adjustments[0]"),
        ('"previous_ranks": {"S": 3', '"previous_ranks": {"S": 3, "S": 4', "previous_ranks"),
    ],
)
def test_duplicate_json_keys_are_rejected(before: str, after: str, location: str) -> None:
    # given a bundle text repeating a key in one object
    text = json.dumps(valid(), ensure_ascii=False)
    assert before in text
    data = text.replace(before, after, 1).encode("utf-8")
    # when parsed / then rejected where the key repeats
    with pytest.raises(InvalidInput) as info:
        parse_bundle_bytes(data)
    found = info.value.problems
    assert location in [p.location for p in found]
    assert any("twice" in p.message for p in found)


def test_duplicate_json_keys_in_an_inline_scheme_are_rejected() -> None:
    # given an inline scheme whose rule repeats its amount
    doc = valid()
    scheme = scheme_copy()
    find_rule(scheme, "1.report_missed")["amount"] = "__DUP__"
    doc["scheme"] = scheme
    data = text_with(doc, "__DUP__", '"0.2", "amount": "0.3"')
    # when parsed / then rejected inside the scheme
    with pytest.raises(InvalidInput) as info:
        parse_bundle_bytes(data)
    texts = [str(p) for p in info.value.problems]
    assert any(
        t.startswith("scheme.categories[0].items[0].rules[0]") and "twice" in t for t in texts
    )


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe{}",
        json.dumps(valid(), ensure_ascii=False).encode("gb18030"),
        json.dumps(valid(), ensure_ascii=False).encode("utf-16"),
        b'{"format": "kaohe-bundle/1", "year": 2016, "x": "\xe7\xbb"}',
    ],
    ids=["bytes", "gb18030", "utf-16", "truncated-sequence"],
)
def test_text_that_is_not_utf8_is_rejected(data: bytes) -> None:
    # given bytes that are not UTF-8 / when parsed / then one clear problem
    with pytest.raises(InvalidInput) as info:
        parse_bundle_bytes(data)
    assert "UTF-8" in str(info.value)


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"{", b"{'format': 1}", b'{"a": 1,}', b'{"a": 1} {"b": 2}', b"nul", b"\x00"],
)
def test_text_that_is_not_json_is_rejected(data: bytes) -> None:
    # given text that is not JSON / when parsed / then one problem naming JSON
    with pytest.raises(InvalidInput) as info:
        parse_bundle_bytes(data)
    assert "JSON" in str(info.value)
    assert len(info.value.problems) == 1


@pytest.mark.parametrize("data", [b"[]", b'"kaohe"', b"1", b"null", b"true", b"[{}]"])
def test_top_level_not_an_object_is_rejected(data: bytes) -> None:
    # given JSON whose top level is not an object / when parsed / then rejected at the root
    with pytest.raises(InvalidInput) as info:
        parse_bundle_bytes(data)
    assert [p.location for p in info.value.problems] == [""]
    assert "object" in str(info.value)


def test_utf8_byte_order_mark_is_reported_not_crashed_on() -> None:
    # given a valid bundle preceded by a UTF-8 byte order mark
    data = b"\xef\xbb\xbf" + json.dumps(valid()).encode("utf-8")
    # when parsed / then either accepted or rejected cleanly
    try:
        parse_bundle_bytes(data)
    except InvalidInput as exc:
        assert exc.problems


def test_deeply_nested_json_is_rejected_cleanly() -> None:
    # given absurdly deep nesting in several places
    for data in [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"format": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"scheme": ' + b"[" * 900 + b"]" * 900 + b"}",
        b'{"entries": [{"department": ' + b"[" * 900 + b"]" * 900 + b"}]}",
    ]:
        # when parsed / then InvalidInput, never a crash
        with pytest.raises(InvalidInput):
            parse_bundle_bytes(data)


def test_deeply_nested_inline_scheme_is_rejected_cleanly() -> None:
    # given a valid bundle whose scheme holds a deeply nested value
    doc = valid()
    scheme = scheme_copy()
    scheme["description"] = "__DEEP__"
    doc["scheme"] = scheme
    data = text_with(doc, "__DEEP__", "[" * 900 + "]" * 900)
    # when parsed / then InvalidInput
    with pytest.raises(InvalidInput):
        parse_bundle_bytes(data)


def test_rejection_is_whole_no_partial_bundle() -> None:
    # given a bundle with one bad entry among good ones
    doc = valid()
    bad = copy.deepcopy(doc)
    bad["entries"][3]["modifiers"] = ["line"]
    # when parsed / then InvalidInput is raised and nothing is returned
    with pytest.raises(InvalidInput):
        parse_bundle(bad)
    parse_bundle(doc)  # the original remains valid


def test_optional_sections_may_be_left_out() -> None:
    # given a bundle with only the required fields
    doc = {
        "format": "kaohe-bundle/1",
        "year": 2016,
        "scheme": "cz-jxw-2016",
        "departments": [department("S")],
    }
    # when parsed / then accepted with empty sections
    b = parse_bundle(doc)
    assert b.entries == () and b.ballots == () and dict(b.previous_ranks) == {}


@pytest.mark.parametrize(
    ("before", "after", "location"),
    [
        ('"code": "S"', '"code": "\\ud800"', "departments[0].code"),
        ('"name": "G"', '"name": "a\\udfff"', "departments[1].name"),
    ],
)
def test_lone_surrogate_escapes_in_printed_text_are_rejected(
    before: str, after: str, location: str
) -> None:
    # given a department code or name written as a lone surrogate escape (not Unicode text)
    text = json.dumps(valid(), ensure_ascii=False)
    assert before in text
    data = text.replace(before, after, 1).encode("utf-8")
    # when parsed / then rejected at that field
    assert location in located(data)


def test_lone_surrogate_in_an_inline_scheme_name_is_rejected() -> None:
    # given an inline scheme whose name is a lone surrogate escape
    doc = valid()
    scheme = scheme_copy()
    scheme["name"] = "__NAME__"
    doc["scheme"] = scheme
    # when parsed / then rejected at scheme.name
    assert located(text_with(doc, "__NAME__", '"\\ud83d"')) == ["scheme.name"]


def test_surrogate_pairs_are_ordinary_text() -> None:
    # given a department name written as an escaped surrogate pair (an emoji)
    text = json.dumps(valid(), ensure_ascii=False).replace(
        '"name": "G"', '"name": "\\ud83d\\ude00"', 1
    )
    # when parsed / then accepted, decoded to the one character
    parsed = parse_bundle_bytes(text.encode("utf-8"))
    assert parsed.departments[1].name == "\U0001f600"


@pytest.mark.parametrize(
    ("path", "location"),
    [
        (["entries", 0, "description"], "entries[0].description"),
        (["entries", 0, "persons"], "entries[0].persons"),
        (["entries", 3, "same_work"], "entries[3].same_work"),
        (["adjustments", 0, "reason"], "adjustments[0].reason"),
        (["adjustments", 0, "meeting"], "adjustments[0].meeting"),
        (["vetoes", 0, "note"], "vetoes[0].note"),
        (["ballots", 0, "id"], "ballots[0].id"),
        (["departments", 0, "parent"], "departments[0].parent"),
    ],
)
def test_lone_surrogates_in_stored_text_are_rejected(path: list[Any], location: str) -> None:
    # given a text field a product stores, written with a lone surrogate escape
    doc = valid()
    doc["entries"][0]["persons"] = ["张三"]
    _set(path, ["__BAD__"] if path[-1] == "persons" else "__BAD__")(doc)
    # when parsed / then rejected at that field (it could be neither stored nor printed)
    assert location in located(text_with(doc, "__BAD__", '"x\\udc80"'))


@pytest.mark.parametrize(
    ("before", "after", "location"),
    [
        ('"ZH": "综合处"', '"\\ud800": "综合处"', "scheme.offices"),
        ('"short": {', '"sh\\udbff": {', "scheme.categories[0].items[1].rules[3].modifiers"),
        ('"voters": "委领导班子成员"', '"voters": "\\udfff"', "scheme.evaluation.kinds[2].voters"),
    ],
)
def test_lone_surrogates_anywhere_in_an_inline_scheme_are_rejected(
    before: str, after: str, location: str
) -> None:
    # given an inline scheme with a lone surrogate in a key or a value
    doc = valid()
    doc["scheme"] = scheme_copy()
    text = json.dumps(doc, ensure_ascii=False)
    assert before in text
    data = text.replace(before, after, 1).encode("utf-8")
    # when parsed / then rejected there
    assert location in located(data)


def test_a_json_float_is_refused_even_when_the_same_decimal_string_is_accepted_elsewhere() -> None:
    # given "2.5" as a string in one entry and 2.5 as a float in another
    doc = valid()
    doc["entries"].append(entry("S", "1.target_unmet", "H1", amount="__FLOAT__"))
    doc["adjustments"].append(adjustment("S", "-1.5"))
    doc["adjustments"].append(adjustment("G", "__FLOAT2__"))
    data = text_with(doc, "__FLOAT__", "2.5").decode("utf-8")
    data = data.replace('"__FLOAT2__"', "-1.5")
    # when parsed / then only the floats are refused
    assert located(data.encode("utf-8")) == ["entries[5]", "adjustments[2].amount"]
