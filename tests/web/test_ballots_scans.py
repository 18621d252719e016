"""Reading scanned paper forms (issue 12.2): forms printed by the product, filled by a program,
degraded as scanners and phones do; every clean mark read right, every doubtful one sent to a
person, and not one wrong ballot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from kaohe.ballots import actions
from kaohe.ballots.paper.printing import forms_pdf, round_layout
from kaohe.ballots.paper.reading import Mark, Problem, judge, read_page
from tests.web import paper_support as ps
from tests.web.ballots_support import open_round

pytestmark = pytest.mark.django_db

# What each page's rows carry: department → marks (grade, how); "clean" rows have one tick or
# cross, or none (abstain); the others must go to a person.
CLEAN = {"tick", "light", "small", "cross"}
PLANS: list[dict[str, list[tuple[str, str]]]] = [
    {"JS": [("good", "tick")], "XX": [("excellent", "light")], "BG": []},
    {"JS": [("poor", "small")], "XX": [("fair", "cross")], "BG": [("good", "tick")]},
    {"JS": [("good", "scribble"), ("fair", "tick")], "XX": [("good", "tick")], "BG": []},
    {"JS": [("excellent", "tick"), ("good", "tick")], "XX": [], "BG": [("fair", "dot")]},
]


def fill(image: Any, layout: Any, plan: dict[str, list[tuple[str, str]]]) -> Any:
    """The page with the plan's marks drawn on it."""
    image = image.copy()
    for department, marks in plan.items():
        for grade, how in marks:
            rect = ps.box(layout, department, grade)
            if how == "tick":
                ps.tick(image, rect)
            elif how == "light":  # a grey pencil, a thin line
                ps.tick(image, rect, darkness=85, width_mm=0.35)
            elif how == "small":  # a small tick in the box's middle
                ps.tick(image, rect, size=0.7)
            elif how == "cross":
                ps.cross(image, rect)
            elif how == "scribble":
                ps.scribble(image, rect)
            else:
                ps.faint_dot(image, rect)
    return image


def expected(plan: dict[str, list[tuple[str, str]]]) -> tuple[dict[str, str], set[str]]:
    """The grades a person would read with certainty, and the rows that need a person."""
    grades, doubtful = {}, set()
    for department, marks in plan.items():
        if len(marks) == 1 and marks[0][1] in CLEAN:
            grades[department] = marks[0][0]
        elif marks:
            doubtful.add(department)
    return grades, doubtful


DEGRADATIONS: dict[str, Callable[[Any, int], Any]] = {
    "clean": lambda im, s: im,
    "rotated +5°, blurred": lambda im, s: ps.blur(ps.rotate(im, 5)),
    "rotated −5°, noisy, JPEG": lambda im, s: ps.jpeg(ps.noise(ps.rotate(im, -5), 10, s)),
    "phone photo, JPEG": lambda im, s: ps.jpeg(ps.blur(ps.photo(im, s)), 50),
    "upside down, noisy": lambda im, s: ps.noise(np.rot90(im, 2).copy(), 6, s),
}


@pytest.fixture(scope="module")
def printed(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Four forms printed by the product and filled after the plans, with their codes."""
    from tests.web.conftest import build_world

    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            world = build_world()
            round = open_round(world, groups=[("中层正职", len(PLANS))])
            codes = actions.codes_issue(by=world.office, round=round, paper=True)
            layout = round_layout(round)
            pages = ps.raster_pages(forms_pdf(round, codes, "https://kaohe.example.cn/v/"))
            transaction.set_rollback(True)
    filled = [fill(p, layout, plan) for p, plan in zip(pages, PLANS, strict=True)]
    return layout, [c.code for c in codes], filled


@pytest.mark.parametrize("degradation", sorted(DEGRADATIONS))
def test_clean_marks_are_read_right_and_doubtful_ones_go_to_a_person(
    printed: Any, degradation: str
) -> None:
    layout, codes, pages = printed
    for i, (page, plan) in enumerate(zip(pages, PLANS, strict=True)):
        reading = read_page(DEGRADATIONS[degradation](page, i), layout)
        grades, doubtful = expected(plan)
        assert reading.code == codes[i], (degradation, i)
        assert set(reading.doubtful) == doubtful, (degradation, i, reading.rows)
        # Every row read with certainty is read right: no wrong ballot.
        assert reading.grades == grades, (degradation, i, reading.rows)
        assert reading.certain == (not doubtful)


def test_a_page_without_its_markers_or_code_goes_to_a_person(printed: Any) -> None:
    layout, _codes, pages = printed
    blank = np.full_like(pages[0], 255)
    assert read_page(blank, layout).problems == [Problem.NO_MARKERS]
    no_qr = pages[0].copy()
    h, w = no_qr.shape
    qr = layout.qr
    no_qr[
        int(qr.y / 297 * h) : int((qr.y + qr.h) / 297 * h),
        int(qr.x / 210 * w) : int((qr.x + qr.w) / 210 * w),
    ] = 255
    reading = read_page(no_qr, layout)
    assert reading.code is None and Problem.NO_CODE in reading.problems
    assert not reading.certain


def test_a_box_is_judged_with_a_margin_either_side() -> None:
    assert judge(0.0) is Mark.EMPTY
    assert judge(0.06) is Mark.UNSURE
    assert judge(0.2) is Mark.TICKED
    assert judge(0.9) is Mark.FILLED
