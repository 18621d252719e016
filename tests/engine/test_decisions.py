"""The party group's decisions as engine input (rules.md §5.5, bundle.md `decisions`).

Each tier is computed on the result of the decisions before it; a department left out of a
settled group goes on as a candidate for the next tier exactly as one ranked just below the chosen.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.engine import InvalidInput, compute, parse_bundle, settle
from kaohe.engine.bundle import bundle_to_document
from kaohe.engine.cli import main
from tests.engine.builders import (
    codes,
    ladder,
    ladder_totals,
    ranked_bundle,
    scheme_copy,
    span,
    with_flag,
    with_honor,
)

HONORS = ("advanced", "recommended", "praised", "progress", "bottom")


def ladder_bundle(*groups: str, **options: Any) -> dict[str, Any]:
    """The bundle of `ladder(*groups, **options)`."""
    return ranked_bundle(ladder_totals(*groups), **options)


def problems_of(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(location, code) of every problem computing the bundle reports; nothing is computed."""
    with pytest.raises(InvalidInput) as info:
        compute(parse_bundle(json.loads(json.dumps(doc))))
    return [(p.location, p.code) for p in info.value.problems]


def messages_of(doc: dict[str, Any]) -> list[str]:
    """Every problem parsing or computing the bundle reports, as `location: message`."""
    with pytest.raises(InvalidInput) as info:
        compute(parse_bundle(json.loads(json.dumps(doc))))
    return [str(p) for p in info.value.problems]


# --- advanced ------------------------------------------------------------------------------

FIFTH_SIXTH = ("D01", "D02", "D03", "D04", "D05 D06", *codes(6, 7))


def test_an_advanced_tie_settled_sends_the_one_left_out_first_in_line_for_praised() -> None:
    # given the 5th and 6th tied among twelve, and the party group keeping D05 advanced
    rows = ladder(*FIFTH_SIXTH, decisions={"ties": {"advanced": ["D05"]}})
    # then D05 is the fifth advanced, D06 the first praised, and praised runs to place 10
    assert with_honor(rows, "advanced") == span(1, 5)
    assert with_honor(rows, "praised") == span(6, 10)
    assert rows["D11"]["honors"] == ["bottom"]
    # and the settled group is flagged tie_settled instead of boundary_tie
    assert with_flag(rows, "tie_settled") == {"D05", "D06"}
    assert with_flag(rows, "boundary_tie") == set()
    assert rows["D06"]["flags"][:2] == ["tie", "tie_settled"]


def test_keeping_the_whole_advanced_group_keeps_the_honors_and_settles_the_flag() -> None:
    # given the same tie, the party group keeping both
    undecided = ladder(*FIFTH_SIXTH)
    rows = ladder(*FIFTH_SIXTH, decisions={"ties": {"advanced": ["D06", "D05"]}})
    # then the honors are those of no decision, flagged tie_settled
    assert {c: r["honors"] for c, r in rows.items()} == {
        c: r["honors"] for c, r in undecided.items()
    }
    assert with_flag(undecided, "boundary_tie") == {"D05", "D06"}
    assert with_flag(rows, "tie_settled") == {"D05", "D06"}
    assert with_flag(rows, "boundary_tie") == set()


WIDE = ("D01", "D02", "D03", " ".join(codes(8, 4)), "D12", "D13", "D14")


def test_an_advanced_decision_makes_a_praised_tie_appear() -> None:
    # given places 4–11 tied: without a decision all eight are advanced and nobody is praised
    undecided = ladder(*WIDE)
    assert with_honor(undecided, "advanced") == span(1, 11)
    assert with_honor(undecided, "praised") == set()
    # when the party group keeps two of them advanced (the places the group had left)
    doc = ladder_bundle(*WIDE, decisions={"ties": {"advanced": ["D04", "D05"]}})
    s = settle(parse_bundle(doc))
    rows = {d.code: d for d in s.results.departments}
    # then the six others stand at place 6, tied across the praised boundary (places 6–10)
    assert {c for c, d in rows.items() if "advanced" in d.honors} == span(1, 5)
    assert {c for c, d in rows.items() if "praised" in d.honors} == span(6, 11)
    assert {c for c, d in rows.items() if "boundary_tie" in d.flags} == span(6, 11)
    # and the engine names that group as the one still to be decided, with 5 places left
    [group] = s.open_groups
    assert (group.tier, group.codes, group.left) == ("praised", tuple(codes(6, 6)), 5)
    assert rows["D12"].honors == ()


def test_a_fuller_advanced_decision_makes_the_praised_tie_vanish() -> None:
    # given places 4–11 tied, the party group keeping seven advanced
    doc = ladder_bundle(*WIDE, decisions={"ties": {"advanced": codes(7, 4)}})
    s = settle(parse_bundle(doc))
    rows = {d.code: d for d in s.results.departments}
    # then the one left out stands at place 11: past the praised places, nothing to decide
    assert {c for c, d in rows.items() if "advanced" in d.honors} == span(1, 10)
    assert rows["D11"].honors == ()
    assert s.open_groups == ()


def test_a_department_left_out_of_advanced_and_then_of_praised_can_be_progress() -> None:
    # given places 4–11 tied; D11 was 14th last year (it shares rank 4 now: a rise of 10)
    decisions = {"ties": {"advanced": ["D04", "D05"], "praised": codes(5, 6)}}
    rows = ladder(*WIDE, previous_ranks={"D11": 14}, decisions=decisions)
    # then D11, kept neither advanced nor praised, is a candidate for progress and gets it
    assert rows["D11"]["honors"] == ["progress"]
    assert with_honor(rows, "praised") == span(6, 10)
    assert with_flag(rows, "tie_settled") == span(4, 11)
    assert with_flag(rows, "boundary_tie") == set()


# --- praised, progress, bottom --------------------------------------------------------------

TENTH_ELEVENTH = (*codes(9), "D10 D11", "D12", "D13")


def test_a_department_left_out_of_a_praised_tie_that_rose_gets_progress() -> None:
    # given the 10th and 11th tied; D11 ranked 12th last year and shares rank 10 now
    undecided = ladder(*TENTH_ELEVENTH, previous_ranks={"D11": 12})
    rows = ladder(
        *TENTH_ELEVENTH, previous_ranks={"D11": 12}, decisions={"ties": {"praised": ["D10"]}}
    )
    # then without a decision both are praised; with it D11 is most improved instead
    assert undecided["D11"]["honors"] == ["praised"]
    assert rows["D10"]["honors"] == ["praised"]
    assert rows["D11"]["honors"] == ["progress"]
    assert with_flag(rows, "tie_settled") == {"D10", "D11"}


def test_a_department_left_out_of_a_praised_tie_that_did_not_rise_gets_nothing() -> None:
    rows = ladder(*TENTH_ELEVENTH, decisions={"ties": {"praised": ["D11"]}})
    assert rows["D10"]["honors"] == []
    assert rows["D11"]["honors"] == ["praised"]


RISERS = (*codes(14), "D15 D16", "D17", "D18")
RISEN = {**{f"D{r:02d}": r + 3 for r in range(11, 15)}, "D15": 18, "D16": 18}


def test_a_progress_tie_settled_gives_nothing_more_to_the_one_left_out() -> None:
    # given risers at ranks 11–14 and a pair tied at rank 15, all up 3 places
    rows = ladder(*RISERS, previous_ranks=RISEN, decisions={"ties": {"progress": ["D16"]}})
    # then D16 is the fifth most improved; D15 gets nothing (it is not bottom either)
    assert with_honor(rows, "progress") == {*span(11, 14), "D16"}
    assert rows["D15"]["honors"] == []
    assert with_flag(rows, "tie_settled") == {"D15", "D16"}
    assert with_honor(rows, "bottom") == {"D17", "D18"}


def test_a_bottom_tie_settled() -> None:
    # given the 2nd and 3rd lowest tied among sixteen
    groups = (*codes(13), "D14 D15", "D16")
    undecided = ladder(*groups)
    rows = ladder(*groups, decisions={"ties": {"bottom": ["D15"]}})
    # then without a decision all three are bottom; with it D16 and D15 only
    assert with_honor(undecided, "bottom") == {"D14", "D15", "D16"}
    assert with_honor(rows, "bottom") == {"D15", "D16"}
    assert rows["D14"]["honors"] == []
    assert with_flag(rows, "tie_settled") == {"D14", "D15"}
    assert with_flag(rows, "boundary_tie") == set()


# --- recommended ---------------------------------------------------------------------------

SECOND_THIRD = ("D01", "D02 D03", *codes(9, 4))


def test_the_recommended_decision_replaces_the_proposal_and_leaves_no_boundary_tie() -> None:
    # given the 2nd and 3rd tied: the proposal recommends all three, flagged
    undecided = ladder(*SECOND_THIRD)
    assert with_honor(undecided, "recommended") == {"D01", "D02", "D03"}
    assert with_flag(undecided, "boundary_tie") == {"D02", "D03"}
    # when the party group recommends D01 and D03
    rows = ladder(*SECOND_THIRD, decisions={"recommended": ["D03", "D01"]})
    # then exactly those are recommended, and nobody is flagged at that tier
    assert with_honor(rows, "recommended") == {"D01", "D03"}
    assert with_flag(rows, "boundary_tie") == set()
    assert with_flag(rows, "tie_settled") == set()
    assert with_honor(rows, "advanced") == span(1, 5)


def test_the_party_group_may_recommend_others_among_the_advanced() -> None:
    rows = ladder(*codes(12), decisions={"recommended": ["D04", "D05"]})
    assert with_honor(rows, "recommended") == {"D04", "D05"}


SECOND_TO_SIXTH = ("D01", " ".join(codes(5, 2)), *codes(6, 7))


def test_recommended_is_proposed_among_the_advanced_as_the_advanced_decision_left_them() -> None:
    # given places 2–6 tied: recommended and advanced both straddled
    doc = ladder_bundle(*SECOND_TO_SIXTH, decisions={"ties": {"advanced": codes(4, 2)}})
    s = settle(parse_bundle(doc))
    rows = {d.code: d for d in s.results.departments}
    # then D06, left out of advanced, is first praised and not recommended
    assert rows["D06"].honors == ("praised",)
    assert {c for c, d in rows.items() if "recommended" in d.honors} == span(1, 5)
    # and the recommended tie of the four kept is still the party group's to decide
    [group] = s.open_groups
    assert (group.tier, group.codes, group.left) == ("recommended", tuple(codes(4, 2)), 1)
    choice = s.recommended
    assert (choice.candidates, choice.count, choice.decided) == (tuple(codes(5)), 2, False)


def test_a_department_left_out_of_advanced_cannot_be_recommended() -> None:
    decisions = {"ties": {"advanced": codes(4, 2)}, "recommended": ["D01", "D06"]}
    assert problems_of(ladder_bundle(*SECOND_TO_SIXTH, decisions=decisions)) == [
        ("decisions.recommended", "recommended_not_advanced")
    ]


def test_a_single_department_is_recommended_alone() -> None:
    rows = ladder("A", decisions={"recommended": ["A"]})
    assert rows["A"]["honors"] == ["advanced", "recommended", "bottom"]
    assert problems_of(ladder_bundle("A", decisions={"recommended": []})) == [
        ("decisions.recommended", "recommended_count")
    ]


# --- invalid decisions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("groups", "decisions", "expected"),
    [
        # a tier without a straddling group
        (codes(12), {"ties": {"praised": ["D06"]}}, ("decisions.ties.praised", "decision_no_tie")),
        # a department outside the group
        (
            FIFTH_SIXTH,
            {"ties": {"advanced": ["D05", "D07"]}},
            ("decisions.ties.advanced", "decision_not_in_group"),
        ),
        # fewer than the places the group had left
        (
            ("D01", "D02", "D03", "D04 D05 D06", *codes(6, 7)),
            {"ties": {"advanced": ["D04"]}},
            ("decisions.ties.advanced", "decision_too_few"),
        ),
        # a repeated department
        (
            FIFTH_SIXTH,
            {"ties": {"advanced": ["D05", "D05"]}},
            ("decisions.ties.advanced", "decision_repeated"),
        ),
        # an unknown department
        (
            FIFTH_SIXTH,
            {"ties": {"advanced": ["D05", "XX"]}},
            ("decisions.ties.advanced", "decision_unknown_department"),
        ),
        # recommended: not among the advanced, too few, too many, repeated
        (
            codes(12),
            {"recommended": ["D01", "D06"]},
            ("decisions.recommended", "recommended_not_advanced"),
        ),
        (codes(12), {"recommended": ["D01"]}, ("decisions.recommended", "recommended_count")),
        (
            codes(12),
            {"recommended": ["D01", "D02", "D03"]},
            ("decisions.recommended", "recommended_count"),
        ),
        (
            codes(12),
            {"recommended": ["D01", "D01"]},
            ("decisions.recommended", "decision_repeated"),
        ),
    ],
)
def test_an_invalid_decision_is_an_error_at_its_location(
    groups: tuple[str, ...], decisions: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert problems_of(ladder_bundle(*groups, decisions=decisions)) == [expected]


def test_a_group_that_does_not_exist_after_the_earlier_decision_is_refused() -> None:
    # given places 4–11 tied, seven kept advanced: no praised group remains to be settled
    decisions = {"ties": {"advanced": codes(7, 4), "praised": ["D11"]}}
    assert problems_of(ladder_bundle(*WIDE, decisions=decisions)) == [
        ("decisions.ties.praised", "decision_no_tie")
    ]


def test_every_invalid_decision_is_listed_in_words() -> None:
    decisions = {"recommended": ["D01"], "ties": {"advanced": ["D07"], "bottom": ["D01"]}}
    assert messages_of(ladder_bundle(*FIFTH_SIXTH, decisions=decisions)) == [
        "decisions.ties.advanced: department D07 is not in the tied group D05, D06",
        "decisions.recommended: recommend exactly 2 of the advanced departments, got 1",
        "decisions.ties.bottom: no tied group straddles the bottom boundary",
    ]


@pytest.mark.parametrize(
    ("decisions", "location"),
    [
        ("D05", "decisions"),
        ({"chosen": ["D05"]}, "decisions"),
        ({"ties": ["D05"]}, "decisions.ties"),
        ({"ties": {"recommended": ["D05"]}}, "decisions.ties"),
        ({"ties": {"advanced": "D05"}}, "decisions.ties.advanced"),
        ({"ties": {"advanced": [5]}}, "decisions.ties.advanced"),
        ({"recommended": "D01"}, "decisions.recommended"),
    ],
)
def test_a_malformed_decisions_field_is_refused_by_the_reader(
    decisions: object, location: str
) -> None:
    doc = ladder_bundle(*FIFTH_SIXTH)
    doc["decisions"] = decisions
    with pytest.raises(InvalidInput) as info:
        parse_bundle(doc)
    assert [p.location for p in info.value.problems] == [location]


# --- a changed scheme's honor sizes --------------------------------------------------------


def small_scheme() -> dict[str, Any]:
    """A scheme with 3 advanced, 1 recommended, 2 praised, 1 progress, 1 bottom."""
    doc = scheme_copy("small-honors")
    doc["honors"] = {"advanced": 3, "recommended": 1, "praised": 2, "progress": 1, "bottom": 1}
    return doc


SMALL = ("D01", "D02", "D03 D04", "D05", "D06 D07", "D08", "D09", "D10 D11")
SMALL_RANKS = {"D06": 9, "D07": 9}


def test_decisions_follow_a_changed_schemes_honor_sizes() -> None:
    # given ties at the 3rd/4th advanced, among the risers (one place), and at the bottom
    undecided = ladder(*SMALL, scheme=small_scheme(), previous_ranks=SMALL_RANKS)
    assert with_honor(undecided, "advanced") == span(1, 4)
    assert with_honor(undecided, "praised") == {"D05"}
    assert with_honor(undecided, "progress") == {"D06", "D07"}
    assert with_honor(undecided, "bottom") == {"D10", "D11"}
    # when the party group settles each of them
    decisions = {
        "recommended": ["D02"],
        "ties": {"advanced": ["D03"], "progress": ["D07"], "bottom": ["D11"]},
    }
    rows = ladder(*SMALL, scheme=small_scheme(), previous_ranks=SMALL_RANKS, decisions=decisions)
    # then D04 is praised with D05 (places 4–5), one riser and one bottom
    assert with_honor(rows, "advanced") == span(1, 3)
    assert with_honor(rows, "recommended") == {"D02"}
    assert with_honor(rows, "praised") == {"D04", "D05"}
    assert with_honor(rows, "progress") == {"D07"}
    assert with_honor(rows, "bottom") == {"D11"}
    assert with_flag(rows, "boundary_tie") == set()


def test_a_changed_schemes_recommended_size_is_the_count_to_choose() -> None:
    decisions = {"recommended": ["D01", "D02"]}
    doc = ladder_bundle(*SMALL, scheme=small_scheme(), decisions=decisions)
    assert problems_of(doc) == [("decisions.recommended", "recommended_count")]


# --- the groups still to decide ------------------------------------------------------------


def test_settle_lists_each_straddling_group_with_the_places_it_had_left() -> None:
    # given ties at every tier, nothing decided yet
    groups = ("D01", "D02 D03", "D04", "D05 D06", *codes(3, 7), "D10 D11", *codes(3, 12))
    previous = {"D12": 16, "D13": 16, "D14": 16}
    s = settle(parse_bundle(ladder_bundle(*groups, previous_ranks=previous)))
    # then each group is named with its tier and places left, in the order tiers are computed
    found = [(g.tier, g.codes, g.left, g.settled) for g in s.groups]
    assert found == [
        ("advanced", ("D05", "D06"), 1, False),
        ("recommended", ("D02", "D03"), 1, False),
        ("praised", ("D10", "D11"), 1, False),
    ]
    assert s.open_groups == s.groups
    assert s.recommended.candidates == tuple(codes(6))
    assert s.problems == ()


def test_settle_skips_an_invalid_decision_and_reports_it() -> None:
    # given a decision that keeps too few
    doc = ladder_bundle(*FIFTH_SIXTH, decisions={"ties": {"advanced": []}})
    s = settle(parse_bundle(doc))
    # then the results are those of no decision, the group is still open, the problem named
    assert [(p.location, p.code) for p in s.problems] == [
        ("decisions.ties.advanced", "decision_too_few")
    ]
    assert [g.codes for g in s.open_groups] == [("D05", "D06")]
    assert "boundary_tie" in s.results.get("D05").flags
    assert s.applied.ties == {}


# --- reading and writing -------------------------------------------------------------------


def test_decisions_are_written_back_in_canonical_form() -> None:
    # given decisions written in any order
    decisions = {"ties": {"bottom": ["D12"], "advanced": ["D06", "D05"]}, "recommended": ["D02"]}
    doc = ladder_bundle(*FIFTH_SIXTH, decisions=decisions)
    # when read and written back / then tiers in order, codes by code point
    written = bundle_to_document(parse_bundle(doc))
    assert written["decisions"] == {
        "recommended": ["D02"],
        "ties": {"advanced": ["D05", "D06"], "bottom": ["D12"]},
    }
    # and reading that again writes the very same document
    assert bundle_to_document(parse_bundle(written)) == written


def test_a_bundle_without_decisions_is_written_without_the_field() -> None:
    for decisions in (None, {}, {"ties": {}}):
        doc = ladder_bundle(*FIFTH_SIXTH, decisions=decisions)
        assert "decisions" not in bundle_to_document(parse_bundle(doc))


def test_kaohe_compute_refuses_invalid_decisions_and_prints_settled_flags(
    tmp_path: Path, capsys: Any
) -> None:
    # given a bundle with an invalid decision
    bad = tmp_path / "bad.json"
    decisions = {"ties": {"praised": ["D06"]}}
    bad.write_text(json.dumps(ladder_bundle(*FIFTH_SIXTH, decisions=decisions)), "utf-8")
    # when computed / then exit 2, the problem listed, nothing printed
    assert main(["compute", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "error: decisions.ties.praised: no tied group straddles the praised boundary",
        "1 error(s); nothing was computed or written.",
    ]
    # given a valid decision / then the table names the settled tie
    good = tmp_path / "good.json"
    decisions = {"ties": {"advanced": ["D05"]}}
    good.write_text(json.dumps(ladder_bundle(*FIFTH_SIXTH, decisions=decisions)), "utf-8")
    assert main(["compute", str(good), "--format", "table"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if " D06 " in x)
    assert "表扬" in line and "临界并列已决定" in line


# --- properties ----------------------------------------------------------------------------


@st.composite
def tied_years(draw: Any) -> dict[str, Any]:
    """A random ladder with many ties, some vetoes, last year's ranks, maybe other honor sizes."""
    n = draw(st.integers(1, 22))
    names = codes(n)
    places = draw(st.lists(st.integers(0, 7), min_size=n, max_size=n))
    totals = {code: str(-place) for code, place in zip(names, places, strict=True)}
    vetoed = [c for c in names if draw(st.integers(0, 9)) == 0]
    previous = {c: draw(st.integers(1, n + 3)) for c in names if draw(st.booleans())}
    scheme: str | dict[str, Any] = "cz-jxw-2016"
    if draw(st.booleans()):
        scheme = scheme_copy("sizes")
        advanced = draw(st.integers(0, 6))
        scheme["honors"] = {
            "advanced": advanced,
            "recommended": draw(st.integers(0, advanced)),
            "praised": draw(st.integers(0, 6)),
            "progress": draw(st.integers(0, 6)),
            "bottom": draw(st.integers(0, 3)),
        }
    return ranked_bundle(totals, vetoed=vetoed, previous_ranks=previous, scheme=scheme)


def settle_every_tie(doc: dict[str, Any], keep: Any) -> dict[str, Any]:
    """Decide each open tie at the tiers `ties` covers, in order, keeping `keep(group)` of it."""
    decisions: dict[str, Any] = {"ties": {}}
    while True:
        s = settle(parse_bundle({**doc, "decisions": decisions}))
        assert s.problems == ()
        open_ties = [g for g in s.open_groups if g.tier != "recommended"]
        if not open_ties:
            return {**doc, "decisions": decisions}
        decisions["ties"][open_ties[0].tier] = list(keep(open_ties[0]))


@settings(max_examples=150, deadline=None)
@given(tied_years())
def test_keeping_every_tied_department_gives_the_honors_of_no_decision(
    doc: dict[str, Any],
) -> None:
    # given any year, and decisions keeping each tied group whole
    undecided = settle(parse_bundle(doc))
    decided = compute(parse_bundle(settle_every_tie(doc, lambda g: g.codes)))
    # then every honor is as without decisions
    before = {d.code: d for d in undecided.results.departments}
    assert [(d.code, d.honors) for d in decided.departments] == [
        (d.code, d.honors) for d in undecided.results.departments
    ]
    # and a settled group's boundary_tie is tie_settled (a recommended straddle stays flagged)
    recommended = {c for g in undecided.groups if g.tier == "recommended" for c in g.codes}
    settled = {c for g in undecided.groups if g.tier != "recommended" for c in g.codes}
    for d in decided.departments:
        flags = set(before[d.code].flags) - {"boundary_tie"}
        flags |= {"boundary_tie"} if d.code in recommended else set()
        flags |= {"tie_settled"} if d.code in settled else set()
        assert set(d.flags) == flags, d.code


@settings(max_examples=150, deadline=None)
@given(tied_years())
def test_keeping_exactly_the_places_left_fills_every_tier_to_its_size(doc: dict[str, Any]) -> None:
    # given any year, each tied group settled with exactly the places it had left
    bundle = parse_bundle(settle_every_tie(doc, lambda g: g.codes[: g.left]))
    results = compute(bundle)
    sizes = bundle.scheme.honors
    holders = {h: [d for d in results.departments if h in d.honors] for h in HONORS}
    eligible = [d for d in results.departments if not d.vetoed]
    # then advanced and praised take exactly their places among the eligible departments
    assert len(holders["advanced"]) == min(sizes.advanced, len(eligible))
    assert len(holders["praised"]) == min(sizes.praised, len(eligible) - len(holders["advanced"]))
    # and progress and bottom exactly theirs, and no tie is left open but a recommended one
    risers = [
        d
        for d in eligible
        if d.rise is not None and d.rise > 0 and not {"advanced", "praised"} & set(d.honors)
    ]
    assert len(holders["progress"]) == min(sizes.progress, len(risers))
    assert len(holders["bottom"]) == min(sizes.bottom, len(results.departments))
    assert all(g.tier == "recommended" for g in settle(bundle).open_groups)
