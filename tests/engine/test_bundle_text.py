"""Reading a bundle from its text (parse_bundle_bytes) finds every repeated key, wherever colons are.

The text is decoded without a per-object hook, and repeated keys are ruled out by counting colons
against the keys decoded (bundle/fast.py, _no_repeated_key); a colon inside a string, written as is or
escaped as \\u003a, must never let a repeated key through.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kaohe.engine import Bundle, InvalidInput, parse_bundle, parse_bundle_bytes
from kaohe.engine.bundle import load_json
from tests.engine.builders import (
    adjustment,
    ballot,
    bundle,
    department,
    entry,
    find_rule,
    scheme_copy,
    veto,
)


def valid(note: str = "note", code: str = "ZH") -> dict[str, Any]:
    """A valid bundle whose veto note and first department code can be chosen."""
    return bundle(
        [department(code, "general", name="综合处"), department("JS", "service")],
        entries=[
            entry(code, "1.report_missed", "H1", description="10:30 report", persons=["p:1"]),
            entry("JS", "3.news_national", "H1", same_work="article:0312"),
        ],
        ballots=[ballot("democratic", "H1", {code: "good", "JS": "excellent"})],
        adjustments=[adjustment(code, "-1.5", reason="党组研究决定:…")],
        vetoes=[{**veto("JS"), "note": note}],
        previous_ranks={code: 2, "JS": 1},
    )


def read(text: str) -> Bundle | list[str]:
    """The bundle parse_bundle_bytes reads from `text`, or the problems it reports."""
    try:
        return parse_bundle_bytes(text.encode("utf-8"))
    except InvalidInput as exc:
        return [str(p) for p in exc.problems]


def read_watchfully(text: str) -> Bundle | list[str]:
    """The same through the decoding that watches every object for repeated keys."""
    try:
        return parse_bundle(load_json(text.encode("utf-8")))
    except InvalidInput as exc:
        return [str(p) for p in exc.problems]


@pytest.mark.parametrize(
    "doc",
    [
        valid(),
        valid(note="a:b:c"),
        valid(code="Z:H"),
        valid(note=": escaped"),
        {**valid(), "scheme": scheme_copy()},
    ],
    ids=["colons in free text", "colons in a veto", "colon in a code", "escaped", "inline scheme"],
)
def test_a_valid_bundle_reads_the_same_as_when_watched(doc: dict[str, Any]) -> None:
    # given a valid bundle, with colons within some of its strings
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    escaped = text.replace(": escaped", "\\u003a escaped")  # the same note, its colon escaped
    # when read / then it is the bundle the watchful reading gives
    for t in (text, escaped):
        assert isinstance(read(t), Bundle)
        assert read(t) == read_watchfully(t)


REPEATS = [
    # (where a key is repeated, in the text of valid(); the location reported)
    ('"format": "kaohe-bundle/1"', "field 'format' appears twice"),
    ('"code": "JS"', "departments[1]: field 'code' appears twice"),
    ('"rule": "1.report_missed"', "entries[0]: field 'rule' appears twice"),
    ('"description": "10:30 report"', "entries[0]: field 'description' appears twice"),
    ('"same_work": "article:0312"', "entries[1]: field 'same_work' appears twice"),
    ('"JS": "excellent"', "ballots[0].grades: department 'JS' graded twice"),
    ('"reason": "党组研究决定:…"', "adjustments[0]: field 'reason' appears twice"),
    ('"note": "a:b"', "vetoes[0]: field 'note' appears twice"),
    ('"JS": 1', "previous_ranks: field 'JS' appears twice"),
]


@pytest.mark.parametrize(("member", "reported"), REPEATS)
@pytest.mark.parametrize(
    "spacing", ["", " ", "\n   "], ids=["tight", "space before colon", "newline before colon"]
)
def test_a_repeated_key_is_reported_even_among_colons_in_strings(
    member: str, reported: str, spacing: str
) -> None:
    # given the text of a bundle with colons within strings, one of its members written twice
    text = json.dumps(valid(note="a:b"), ensure_ascii=False)
    assert member in text
    key, value = member.split(": ", 1)
    text = text.replace(member, f"{member}, {key}{spacing}: {value}", 1)
    # when read / then the repeated key is reported, as the watchful reading reports it
    found = read(text)
    assert isinstance(found, list) and reported in found
    assert found == read_watchfully(text)


@pytest.mark.parametrize(
    ("member", "twice"),
    [
        ('"note": "x"', '"note": "x", "note": "\\u003a"'),
        ('"JS": 1', '"JS": 1, "JS": 1'),
    ],
)
def test_a_repeated_key_beside_an_escaped_colon_is_reported(member: str, twice: str) -> None:
    # given a repeated key, and a colon escaped in a kept string: counted in the decoded strings
    # but not in the text, it would make up for the member the repetition took away
    text = json.dumps(valid(note="x"), ensure_ascii=False).replace(member, twice, 1)
    text = text.replace('"10:30 report"', '"10\\u003a30 report"')
    # when read / then reported
    found = read(text)
    assert isinstance(found, list) and any("twice" in p for p in found)


def test_a_repeated_key_inside_an_inline_scheme_is_not_hidden_by_the_counting() -> None:
    # given an inline scheme one of whose rules repeats its amount, and colons elsewhere
    doc = {**valid(note="a:b"), "scheme": scheme_copy()}
    find_rule(doc["scheme"], "1.report_missed")["amount"] = "__DUP__"
    text = json.dumps(doc, ensure_ascii=False).replace('"__DUP__"', '"0.2", "amount": "0.3"')
    # when read / then the quick reading gives way to the watchful one, whatever that decides
    assert read(text) == read_watchfully(text)


@pytest.mark.parametrize(
    "written",
    ['"\\ud800 x"', '"\\uDC80 x"', '"x \\udBFF"'],
    ids=["lower", "upper", "mixed"],
)
def test_a_lone_surrogate_escape_in_an_entry_text_is_refused(written: str) -> None:
    # given an entry description written as a lone surrogate escape, in any case of hex digits
    text = json.dumps(valid(), ensure_ascii=False).replace('"10:30 report"', written)
    # when read from its bytes / then refused at the description (the texts are looked at)
    assert "entries[0].description" in " ".join(str(p) for p in read(text))


def test_a_lone_surrogate_in_text_given_as_str_is_refused() -> None:
    # given the bundle text as a str that holds a lone surrogate itself, not as an escape
    text = json.dumps(valid(), ensure_ascii=False).replace("10:30 report", "x\ud800")
    # when read / then refused at the description
    with pytest.raises(InvalidInput) as info:
        parse_bundle_bytes(text)
    assert "entries[0].description" in [p.location for p in info.value.problems]
