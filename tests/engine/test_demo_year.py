"""The demo year (kaohe/demo/year2016.json), five departments worked out by hand from rules.md.

Every figure asserted below was computed by hand from rules.md §2–§6, with the arithmetic in the
comments; the tests first pin the inputs the arithmetic uses (the department's entries and the grades
it received, counted straight from the ballots), then compare the engine's output strings.
Coefficients: excellent 1.0, good 0.8, fair 0.6, poor 0. Points: `service` democratic 10, style 10,
leader 10; `general` democratic 20, style 0, leader 10. Democratic rounds H1 and year, weight 1 each.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kaohe.demo import demo_bundle, demo_bundle_document, demo_bundle_text
from kaohe.engine import InvalidInput, Results, builtin_scheme, compute, parse_bundle
from kaohe.engine.output import results_document

ROOT = Path(__file__).resolve().parents[2]
DEMO_PATH = ROOT / "kaohe" / "demo" / "year2016.json"
ROUNDS = (("democratic", "H1"), ("democratic", "year"), ("style", "year"), ("leader", "year"))


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return demo_bundle_document()


@pytest.fixture(scope="module")
def computed() -> Results:
    return compute(demo_bundle())


@pytest.fixture(scope="module")
def out(computed: Results) -> dict[str, dict[str, Any]]:
    return {d["code"]: d for d in results_document(computed)["departments"]}


def entries_of(doc: dict[str, Any], code: str) -> list[str]:
    """A department's entries as 'rule period key=value…', only the fields that make the amount."""
    lines = []
    for e in doc["entries"]:
        if e["department"] != code:
            continue
        parts = [e["rule"], e["period"]]
        for key in ("count", "amount", "actual", "modifiers", "same_work"):
            if key in e:
                value = ",".join(e[key]) if key == "modifiers" else e[key]
                parts.append(f"{key}={value}")
        lines.append(" ".join(parts))
    return sorted(lines)


def grades_received(doc: dict[str, Any], code: str) -> dict[str, dict[str, int]]:
    """Grades a department received per round, counted from the ballots without the engine."""
    out: dict[str, dict[str, int]] = {}
    for kind, period in ROUNDS:
        counter = Counter(
            b["grades"][code]
            for b in doc["ballots"]
            if b["kind"] == kind and b["round"] == period and code in b["grades"]
        )
        out[f"{kind}/{period}"] = dict(sorted(counter.items()))
    return out


def figures(result: dict[str, Any]) -> dict[str, Any]:
    """The score part of a department's result (rank and honors are tested on the whole year)."""
    keys = ("categories", "content", "evaluation", "evaluation_total", "adjustment", "total")
    return {k: result[k] for k in keys}


# --- 技术进步处 JS: service; two same_work groups, a `short` and a `line` modifier ----------------


def test_js_service_department_worked_by_hand(doc: dict[str, Any], out: dict[str, Any]) -> None:
    # given the entries of 技术进步处 (service: info quota 6 per half-year)
    assert entries_of(doc, "JS") == sorted(
        [
            "1.report_missed H1 count=1",  # deduct 0.2 × 1 = 0.2            (business)
            "3.info_shortfall H1 actual=4",  # deduct 0.2 × (6 − 4) = 0.4      (business)
            "3.info_shortfall H2 actual=7",  # deduct 0.2 × max(0, 6 − 7) = 0  (business)
            "2.leader_instruction year",  # bonus 1 × 1 = 1                   (business)
            "2.paper_provincial H2 modifiers=short",  # bonus 2 × 0.5 = 1      (business)
            "3.news_provincial H1 same_work=JS-技改投资报道",  # bonus 1 ┐ same work: only the
            "3.news_national H1 same_work=JS-技改投资报道",  # bonus 2   ┘ larger, 2, counts
            "4.study_absence H1 count=2",  # deduct 0.2 × 2 = 0.4            (capacity)
            "6.participation H2 count=3",  # bonus 0.5 × 3 = 1.5             (capacity)
            "8.late_material H2 count=1",  # deduct 0.5                      (conduct)
            "14.overdue_item H2 count=1",  # deduct 0.5                      (affairs)
            "17.praised_meeting year",  # bonus 1                            (excellence)
            "18.collective_prefecture year same_work=JS-智能制造示范",  # bonus 3 ┐ same work:
            "18.collective_city year modifiers=line same_work=JS-智能制造示范",  # 2 × 0.5 = 1 ┘ 3
        ]
    )
    # business   = 20 − (0.2 + 0.4 + 0) + (1 + 1 + 2)   = 23.4
    # capacity   = 10 − 0.4 + 1.5                        = 11.1
    # conduct    = 10 − 0.5                              = 9.5
    # affairs    = 10 − 0.5                              = 9.5
    # integrity  = 10
    # excellence = 10 + 1 + 3                            = 14
    # content    = 23.4 + 11.1 + 9.5 + 9.5 + 10 + 14     = 77.5
    assert grades_received(doc, "JS") == {
        "democratic/H1": {"excellent": 25, "fair": 1, "good": 6},  # 32 grades
        "democratic/year": {"excellent": 15, "fair": 3, "good": 15},  # 33 (34 ballots, 1 blank)
        "style/year": {"excellent": 11, "fair": 1, "good": 3},  # 15
        "leader/year": {"excellent": 6, "good": 1},  # 7
    }
    # democratic H1   = 10 × (25 + 6 × 0.8 + 0.6) / 32 = 10 × 30.4 / 32 = 9.5
    # democratic year = 10 × (15 + 15 × 0.8 + 3 × 0.6) / 33 = 10 × 28.8 / 33 = 96/11 ≈ 8.7273
    # democratic      = (9.5 + 96/11) / 2 = (104.5 + 96) / 22 = 401/44 ≈ 9.1136  → 9.11
    # style           = 10 × (11 + 3 × 0.8 + 0.6) / 15 = 10 × 14 / 15 = 28/3 ≈ 9.3333 → 9.33
    # leader          = 10 × (6 + 0.8) / 7 = 68/7 ≈ 9.7143                            → 9.71
    # evaluation      = 401/44 + 28/3 + 68/7 = (8421 + 8624 + 8976) / 924 = 26021/924 ≈ 28.1613
    # total           = 77.5 + 26021/924 ≈ 105.6613                                  → 105.66
    assert figures(out["JS"]) == {
        "categories": {
            "business": "23.40",
            "capacity": "11.10",
            "conduct": "9.50",
            "affairs": "9.50",
            "integrity": "10.00",
            "excellence": "14.00",
        },
        "content": "77.50",
        "evaluation": {"democratic": "9.11", "style": "9.33", "leader": "9.71"},
        "evaluation_total": "28.16",
        "adjustment": "0.00",
        "total": "105.66",
    }


def test_js_same_work_counts_only_the_largest_entry(computed: Results, doc: dict[str, Any]) -> None:
    # given JS's two same_work groups (an article used twice; one work with two awards)
    js = computed.get("JS")
    # when the trail says which entries counted
    not_counted = sorted(
        doc["entries"][t.index]["rule"]
        for c in js.category_trails
        for t in c.entries
        if not t.counted
    )
    # then the smaller of each group is left out: news_provincial (1 < 2), collective_city (1 < 3)
    assert not_counted == ["18.collective_city", "3.news_provincial"]


# --- 办公室 BG: general; not rated in style; the party group's adjustment ------------------------


def test_bg_general_department_worked_by_hand(doc: dict[str, Any], out: dict[str, Any]) -> None:
    # given the entries of 办公室 (general: info quota 2 per half-year)
    assert entries_of(doc, "BG") == sorted(
        [
            "1.report_missed H1 count=2",  # deduct 0.2 × 2 = 0.4            (business)
            "3.info_shortfall H1 actual=3",  # deduct 0.2 × max(0, 2 − 3) = 0 (business)
            "3.info_shortfall H2 actual=2",  # deduct 0.2 × (2 − 2) = 0       (business)
            "3.news_municipal year count=4",  # bonus 0.5 × 4 = 2             (business)
            "5.training_absence H2 count=1",  # deduct 0.2                    (capacity)
            "7.environment_failed H1 count=1",  # deduct 1                    (conduct)
            "12.openness_failure H2 amount=2",  # range, decided 2 × 1 = 2    (affairs)
            "18.collective_city year modifiers=single",  # bonus 2 × 0.25 = 0.5 (excellence)
        ]
    )
    # business   = 20 − 0.4 + 2      = 21.6
    # capacity   = 10 − 0.2          = 9.8
    # conduct    = 10 − 1            = 9
    # affairs    = 10 − 2            = 8
    # integrity  = 10
    # excellence = 10 + 0.5          = 10.5
    # content    = 21.6 + 9.8 + 9 + 8 + 10 + 10.5 = 68.9
    assert grades_received(doc, "BG") == {
        "democratic/H1": {"excellent": 21, "fair": 3, "good": 8},  # 32
        "democratic/year": {"excellent": 25, "fair": 2, "good": 6},  # 33
        "style/year": {},  # general departments are not on style ballots
        "leader/year": {"excellent": 4, "fair": 1, "good": 2},  # 7
    }
    # democratic H1   = 20 × (21 + 8 × 0.8 + 3 × 0.6) / 32 = 20 × 29.2 / 32 = 18.25
    # democratic year = 20 × (25 + 6 × 0.8 + 2 × 0.6) / 33 = 20 × 31 / 33 = 620/33 ≈ 18.7879
    # democratic      = (18.25 + 620/33) / 2 = (602.25 + 620) / 66 = 4889/264 ≈ 18.5189 → 18.52
    # style           = 0 (general: 0 points, not rated, no no_grades flag)
    # leader          = 10 × (4 + 2 × 0.8 + 0.6) / 7 = 62/7 ≈ 8.8571                    → 8.86
    # evaluation      = 4889/264 + 62/7 = (34223 + 16368) / 1848 = 50591/1848 ≈ 27.3761 → 27.38
    # adjustment      = +1 (党组: 承办全市工业经济工作会议并完成国务院大督查迎检工作)
    # total           = 68.9 + 50591/1848 + 1 ≈ 97.2761                                 → 97.28
    assert figures(out["BG"]) == {
        "categories": {
            "business": "21.60",
            "capacity": "9.80",
            "conduct": "9.00",
            "affairs": "8.00",
            "integrity": "10.00",
            "excellence": "10.50",
        },
        "content": "68.90",
        "evaluation": {"democratic": "18.52", "style": "0.00", "leader": "8.86"},
        "evaluation_total": "27.38",
        "adjustment": "1.00",
        "total": "97.28",
    }


# --- 产业发展处 CY: deductions in 作风建设 beyond its 10 points -----------------------------------


def test_cy_deductions_stop_at_the_category_points(
    doc: dict[str, Any], out: dict[str, Any]
) -> None:
    # given the entries of 产业发展处 (service)
    assert entries_of(doc, "CY") == sorted(
        [
            "1.target_unmet year amount=2",  # range, decided 2              (business)
            "3.info_shortfall H1 actual=3",  # 0.2 × (6 − 3) = 0.6           (business)
            "3.info_shortfall H2 actual=4",  # 0.2 × (6 − 4) = 0.4           (business)
            "5.unregistered H2 count=1",  # 1 × 1 = 1                        (capacity)
            "7.commitment_violation H1 count=1",  # 2                        (conduct)
            "7.commitment_violation H2 count=1",  # 2                        (conduct)
            "7.attitude_complaint H2 count=1",  # 1                          (conduct)
            "8.overdue_task H1 count=2",  # 2 × 2 = 4                        (conduct)
            "10.efficiency_complaint H2 amount=3",  # range, decided 3 by ballot (conduct)
            "11.late_early H2 count=3",  # 0.2 × 3 = 0.6                     (conduct)
        ]
    )
    # business   = 20 − (2 + 0.6 + 0.4) = 17
    # capacity   = 10 − 1 = 9
    # conduct    = deductions 2 + 2 + 1 + 4 + 3 + 0.6 = 12.6 > 10 → 10 − min(10, 12.6) = 0
    # affairs, integrity, excellence = 10 each
    # content    = 17 + 9 + 0 + 10 + 10 + 10 = 56
    assert grades_received(doc, "CY") == {
        "democratic/H1": {"excellent": 6, "fair": 6, "good": 18, "poor": 2},  # 32
        "democratic/year": {"excellent": 12, "fair": 9, "good": 12},  # 33
        "style/year": {"excellent": 3, "fair": 3, "good": 9},  # 15
        "leader/year": {"excellent": 2, "fair": 2, "good": 2, "poor": 1},  # 7
    }
    # democratic H1   = 10 × (6 + 18 × 0.8 + 6 × 0.6 + 2 × 0) / 32 = 10 × 24 / 32 = 7.5
    # democratic year = 10 × (12 + 12 × 0.8 + 9 × 0.6) / 33 = 10 × 27 / 33 = 90/11 ≈ 8.1818
    # democratic      = (7.5 + 90/11) / 2 = (82.5 + 90) / 22 = 345/44 ≈ 7.8409   → 7.84
    # style           = 10 × (3 + 9 × 0.8 + 3 × 0.6) / 15 = 10 × 12 / 15 = 8    → 8.00
    # leader          = 10 × (2 + 2 × 0.8 + 2 × 0.6 + 0) / 7 = 48/7 ≈ 6.8571    → 6.86
    # evaluation      = 345/44 + 8 + 48/7 = 8 + (2415 + 2112) / 308 = 8 + 4527/308 ≈ 22.6981 → 22.70
    # total           = 56 + 22.6981 ≈ 78.6981                                 → 78.70
    assert figures(out["CY"]) == {
        "categories": {
            "business": "17.00",
            "capacity": "9.00",
            "conduct": "0.00",
            "affairs": "10.00",
            "integrity": "10.00",
            "excellence": "10.00",
        },
        "content": "56.00",
        "evaluation": {"democratic": "7.84", "style": "8.00", "leader": "6.86"},
        "evaluation_total": "22.70",
        "adjustment": "0.00",
        "total": "78.70",
    }


def test_cy_trail_shows_the_cap(computed: Results) -> None:
    conduct = next(c for c in computed.get("CY").category_trails if c.code == "conduct")
    assert (conduct.capped, str(conduct.deductions), str(conduct.deductions_applied)) == (
        True,
        "63/5",  # 12.6
        "10",
    )


# --- 装备工业处 ZB: vetoed; a range bonus and a range deduction -----------------------------------


def test_zb_vetoed_department_worked_by_hand(doc: dict[str, Any], out: dict[str, Any]) -> None:
    # given the entries of 装备工业处 (service)
    assert entries_of(doc, "ZB") == sorted(
        [
            "2.leader_instruction H2",  # bonus 1                            (business)
            "3.info_shortfall H1 actual=6",  # 0.2 × (6 − 6) = 0             (business)
            "3.info_shortfall H2 actual=7",  # 0                             (business)
            "6.award_collective H2 amount=2",  # range bonus, decided 2      (capacity)
            "16.sanctioned year amount=3",  # range deduction, decided 3     (integrity)
            "17.promoted_province year",  # bonus 3                          (excellence)
            "18.collective_prefecture year",  # bonus 3                      (excellence)
        ]
    )
    # business 20 + 1 = 21; capacity 10 + 2 = 12; conduct 10; affairs 10; integrity 10 − 3 = 7;
    # excellence 10 + 3 + 3 = 16; content = 21 + 12 + 10 + 10 + 7 + 16 = 76
    assert grades_received(doc, "ZB") == {
        "democratic/H1": {"excellent": 18, "good": 14},  # 32
        "democratic/year": {"excellent": 16, "fair": 5, "good": 12},  # 33
        "style/year": {"excellent": 6, "fair": 3, "good": 6},  # 15
        "leader/year": {"excellent": 2, "good": 5},  # 7
    }
    # democratic H1   = 10 × (18 + 14 × 0.8) / 32 = 10 × 29.2 / 32 = 9.125 = 73/8
    # democratic year = 10 × (16 + 12 × 0.8 + 5 × 0.6) / 33 = 10 × 28.6 / 33 = 26/3 ≈ 8.6667
    # democratic      = (73/8 + 26/3) / 2 = (219 + 208) / 48 = 427/48 ≈ 8.8958  → 8.90
    # style           = 10 × (6 + 6 × 0.8 + 3 × 0.6) / 15 = 10 × 12.6 / 15 = 8.4 → 8.40
    # leader          = 10 × (2 + 5 × 0.8) / 7 = 60/7 ≈ 8.5714                 → 8.57
    # evaluation      = 427/48 + 8.4 + 60/7 ≈ 8.8958 + 8.4 + 8.5714 = 25.8673  → 25.87
    # total           = 76 + 25.8673 ≈ 101.8673                                → 101.87
    assert figures(out["ZB"]) == {
        "categories": {
            "business": "21.00",
            "capacity": "12.00",
            "conduct": "10.00",
            "affairs": "10.00",
            "integrity": "7.00",
            "excellence": "16.00",
        },
        "content": "76.00",
        "evaluation": {"democratic": "8.90", "style": "8.40", "leader": "8.57"},
        "evaluation_total": "25.87",
        "adjustment": "0.00",
        "total": "101.87",
    }
    # the veto keeps the score and the rank (4th) but takes every honor
    assert (out["ZB"]["rank"], out["ZB"]["vetoed"], out["ZB"]["honors"]) == (4, True, [])


# --- 无线电管理处频率台站管理科 WX-PT: a section; abstentions in every round but the leaders' ------


def test_wx_pt_section_with_abstentions_worked_by_hand(
    doc: dict[str, Any], out: dict[str, Any]
) -> None:
    # given the entries of the frequency and station section (service, parent 无线电管理处)
    assert entries_of(doc, "WX-PT") == sorted(
        [
            "3.info_shortfall H1 actual=6",  # 0
            "3.info_shortfall H2 actual=6",  # 0
            "11.passport_unsubmitted H1 count=1",  # deduct 0.5              (conduct)
            "12.website_missed year count=3",  # deduct 0.2 × 3 = 0.6        (affairs)
            "18.individual_province year modifiers=single",  # bonus 3 × 0.5 = 1.5 (excellence)
        ]
    )
    # business 20; capacity 10; conduct 9.5; affairs 9.4; integrity 10; excellence 11.5
    # content = 20 + 10 + 9.5 + 9.4 + 10 + 11.5 = 70.4
    assert grades_received(doc, "WX-PT") == {
        "democratic/H1": {"excellent": 14, "fair": 4, "good": 13},  # 31 of 32 ballots
        "democratic/year": {"excellent": 14, "fair": 1, "good": 11},  # 26 of 33 marked ballots
        "style/year": {"excellent": 2, "fair": 2, "good": 7},  # 11 of 15 ballots
        "leader/year": {"excellent": 5, "good": 2},  # 7
    }
    # abstentions do not count: each round divides by the grades the section received
    # democratic H1   = 10 × (14 + 13 × 0.8 + 4 × 0.6) / 31 = 10 × 26.8 / 31 = 268/31 ≈ 8.6452
    # democratic year = 10 × (14 + 11 × 0.8 + 0.6) / 26 = 10 × 23.4 / 26 = 9
    # democratic      = (268/31 + 9) / 2 = (268 + 279) / 62 = 547/62 ≈ 8.8226  → 8.82
    # style           = 10 × (2 + 7 × 0.8 + 2 × 0.6) / 11 = 10 × 8.8 / 11 = 8 → 8.00
    # leader          = 10 × (5 + 2 × 0.8) / 7 = 66/7 ≈ 9.4286                → 9.43
    # evaluation      = 547/62 + 8 + 66/7 = 8 + (3829 + 4092) / 434 = 8 + 7921/434 ≈ 26.2512 → 26.25
    # total           = 70.4 + 26.2512 ≈ 96.6512                             → 96.65
    assert figures(out["WX-PT"]) == {
        "categories": {
            "business": "20.00",
            "capacity": "10.00",
            "conduct": "9.50",
            "affairs": "9.40",
            "integrity": "10.00",
            "excellence": "11.50",
        },
        "content": "70.40",
        "evaluation": {"democratic": "8.82", "style": "8.00", "leader": "9.43"},
        "evaluation_total": "26.25",
        "adjustment": "0.00",
        "total": "96.65",
    }


# --- the year's ranking and honors --------------------------------------------------------------


def test_demo_year_ranking_and_honors(computed: Results, doc: dict[str, Any]) -> None:
    # the ranking by total (no two departments equal, so no tie flags)
    ranking = [(d.rank, d.code) for d in computed.departments]
    assert ranking == list(
        enumerate(
            [
                "XXH",  # 116.38
                "JS",  # 105.66
                "ZXQ",  # 102.18
                "ZB",  # 101.87, vetoed
                "ZH",  # 100.74
                "JN",  # 100.48
                "YX",  # 100.22
                "DW",  # 98.99
                "RS",  # 97.92
                "WX-JC",  # 97.79
                "BG",  # 97.28
                "DZ",  # 97.14
                "RJ",  # 96.93, new this year
                "JC",  # 96.67
                "WX-PT",  # 96.65
                "FG",  # 95.65
                "CW",  # 94.45
                "TZ",  # 93.48
                "WX-ZH",  # 92.79
                "CY",  # 78.70
            ],
            start=1,
        )
    )
    assert doc["previous_ranks"] == {
        **{"ZH": 1, "XXH": 2, "YX": 3, "JS": 4, "JN": 5, "RS": 6, "BG": 7, "ZB": 8, "ZXQ": 9},
        **{"DW": 10, "WX-JC": 11, "CW": 12, "WX-ZH": 13, "TZ": 14, "CY": 15, "WX-PT": 16},
        **{"DZ": 17, "FG": 18, "JC": 19},
    }
    # eligible order skips ZB: XXH JS ZXQ ZH JN | YX DW RS WX-JC BG | DZ RJ JC WX-PT FG CW TZ WX-ZH CY
    # advanced = eligible 1–5, recommended = the first 2 of them, praised = eligible 6–10.
    # progress, among the rest with a rank last year: DZ 17→12 (+5), JC 19→14 (+5),
    #   FG 18→16 (+2), WX-PT 16→15 (+1) rose; CW 12→17, TZ 14→18, WX-ZH 13→19, CY 15→20 fell;
    #   RJ has no rank last year. Four risers, fewer than 5: all four. ZXQ (+6) is advanced, DW
    #   and WX-JC are praised, ZB (+4) is vetoed: none of them is `progress`.
    # bottom = the last 2 of all departments: WX-ZH and CY.
    honors = {d.code: list(d.honors) for d in computed.departments if d.honors}
    assert honors == {
        "XXH": ["advanced", "recommended"],
        "JS": ["advanced", "recommended"],
        "ZXQ": ["advanced"],
        "ZH": ["advanced"],
        "JN": ["advanced"],
        "YX": ["praised"],
        "DW": ["praised"],
        "RS": ["praised"],
        "WX-JC": ["praised"],
        "BG": ["praised"],
        "DZ": ["progress"],
        "JC": ["progress"],
        "WX-PT": ["progress"],
        "FG": ["progress"],
        "WX-ZH": ["bottom"],
        "CY": ["bottom"],
    }
    assert [d.code for d in computed.departments if d.vetoed] == ["ZB"]
    assert all(d.flags == () for d in computed.departments)
    assert computed.complete


def test_demo_year_turnout(computed: Results) -> None:
    turnout = {(t.kind, t.period): (t.ballots, t.blank, t.invalid) for t in computed.turnout}
    assert turnout == {
        ("democratic", "H1"): (32, 0, 0),
        ("democratic", "year"): (34, 1, 0),
        ("style", "year"): (15, 0, 0),
        ("leader", "year"): (7, 0, 0),
    }


# --- what the demo year holds -------------------------------------------------------------------


def test_demo_departments(doc: dict[str, Any]) -> None:
    deps = doc["departments"]
    assert len(deps) == 20
    assert Counter(d["type"] for d in deps) == {"service": 12, "general": 8}
    assert [d["code"] for d in deps if d.get("parent") == "无线电管理处"] == [
        "WX-ZH",
        "WX-PT",
        "WX-JC",
    ]
    assert all(d["code"].isascii() and not d["name"].isascii() for d in deps)
    # one department is new this year and has no rank last year
    assert {d["code"] for d in deps} - doc["previous_ranks"].keys() == {"RJ"}


def test_demo_entries_cover_every_item_and_every_kind_of_rule(doc: dict[str, Any]) -> None:
    scheme = builtin_scheme(doc["scheme"])
    rules = [scheme.rules[e["rule"]] for e in doc["entries"]]
    assert {r.item for r in rules} == set(range(1, 19))
    assert {(r.kind, r.direction) for r in rules} == {
        ("each", "deduct"),
        ("each", "bonus"),
        ("range", "deduct"),
        ("range", "bonus"),
        ("shortfall", "deduct"),
    }
    assert {m for e in doc["entries"] for m in e.get("modifiers", [])} == {
        "short",
        "line",
        "single",
    }
    assert {r.id for r in rules if r.once_a_year} == {"2.topic_unmet", "2.research_unmet"}
    shortfall = Counter(e["period"] for e in doc["entries"] if e["rule"] == "3.info_shortfall")
    assert shortfall == {"H1": 20, "H2": 20}


def test_demo_entries_carry_their_office_persons_and_decision(doc: dict[str, Any]) -> None:
    scheme = builtin_scheme(doc["scheme"])
    ids = [e["id"] for e in doc["entries"]]
    assert len(ids) == len(set(ids))
    for e in doc["entries"]:
        rule = scheme.rules[e["rule"]]
        assert e["office"] in rule.offices, e
        assert e["description"].strip(), e
        if rule.unit == "人次":
            assert len(e["persons"]) == e.get("count", 1), e
        if rule.kind == "range":
            assert e["decided_by"] in {"集体评议", "无记名投票"}, e
            assert e["meeting"].startswith("考核办公室"), e
        else:
            assert "decided_by" not in e and "meeting" not in e, e
    assert "无记名投票" in {e.get("decided_by") for e in doc["entries"]}


def test_demo_ballots(doc: dict[str, Any]) -> None:
    groups = Counter((b["kind"], b["round"], b["group"]) for b in doc["ballots"])
    assert groups == {
        ("democratic", "H1", "中层正职"): 18,
        ("democratic", "H1", "中层副职"): 14,
        ("democratic", "year", "中层正职"): 19,
        ("democratic", "year", "中层副职"): 15,
        ("style", "year", "区经信局"): 7,
        ("style", "year", "企业代表"): 8,
        ("leader", "year", "委领导"): 7,
    }
    blank = [b["id"] for b in doc["ballots"] if not b["grades"]]
    assert blank == ["democratic-year-34"]
    service = {d["code"] for d in doc["departments"] if d["type"] == "service"}
    assert all(b["grades"].keys() <= service for b in doc["ballots"] if b["kind"] == "style")


def test_demo_adjustment_and_veto(doc: dict[str, Any]) -> None:
    assert [(a["department"], a["amount"]) for a in doc["adjustments"]] == [("BG", "1")]
    assert all(a["reason"] and a["meeting"] for a in doc["adjustments"])
    assert [(v["department"], v["reason"]) for v in doc["vetoes"]] == [("ZB", "staff_investigated")]


# --- the file itself ----------------------------------------------------------------------------


def test_demo_file_ships_in_the_package() -> None:
    assert demo_bundle_text() == DEMO_PATH.read_text(encoding="utf-8")
    assert demo_bundle_document() is not demo_bundle_document()  # a fresh copy each call


def test_demo_file_is_what_the_generator_writes() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_demo_year", ROOT / "tools" / "make_demo_year.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.dump(module.document()) == demo_bundle_text()


def test_demo_package_does_not_import_django() -> None:
    for path in (ROOT / "kaohe" / "demo").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "django" for n in names), path


def test_kaohe_compute_accepts_the_demo_year() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kaohe.cli", "compute", str(DEMO_PATH), "--format", "json"],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["departments"][0]["code"] == "XXH"


# --- optional fields the engine checks against the rule ----------------------------------------------


def test_an_entry_office_the_rule_does_not_list_is_rejected(doc: dict[str, Any]) -> None:
    bad = copy.deepcopy(doc)
    index = next(i for i, e in enumerate(bad["entries"]) if e["rule"] == "1.report_missed")
    bad["entries"][index]["office"] = "FG"  # 1.report_missed is recorded by ZH only
    with pytest.raises(InvalidInput) as exc:
        parse_bundle(bad)
    assert [p.location for p in exc.value.problems] == [f"entries[{index}].office"]


def test_decided_by_is_one_of_the_two_ways_on_range_rules_only(doc: dict[str, Any]) -> None:
    bad = copy.deepcopy(doc)
    ranged = next(i for i, e in enumerate(bad["entries"]) if e["rule"] == "1.target_unmet")
    each = next(i for i, e in enumerate(bad["entries"]) if e["rule"] == "1.report_missed")
    bad["entries"][ranged]["decided_by"] = "处长决定"
    bad["entries"][each]["decided_by"] = "集体评议"
    with pytest.raises(InvalidInput) as exc:
        parse_bundle(bad)
    assert sorted(p.location for p in exc.value.problems) == sorted(
        [f"entries[{ranged}].decided_by", f"entries[{each}].decided_by"]
    )
