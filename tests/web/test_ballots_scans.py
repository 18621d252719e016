"""Reading scanned paper forms (issue 12.2): forms printed by the product, filled by a program,
degraded as scanners and phones do; every clean mark read right, every doubtful one sent to a
person, and not one wrong ballot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from django.test import Client

from kaohe.ballots import actions
from kaohe.ballots.paper.printing import forms_pdf, round_layout
from kaohe.ballots.paper.reading import Mark, Problem, judge, read_page
from tests.web import paper_support as ps
from tests.web.ballots_support import open_round, post_ballot

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


# --- the pages: upload, count, keep, decide -----------------------------------------------------


def _png(image: Any) -> Any:
    import cv2
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok, data = cv2.imencode(".png", image)
    assert ok
    return SimpleUploadedFile("../../etc/passwd.png", bytes(data), content_type="image/png")


def _fresh_forms(world: Any, n: int) -> tuple[Any, Any, list[str], list[Any]]:
    round = open_round(world, groups=[("中层正职", n)])
    codes = actions.codes_issue(by=world.office, round=round, paper=True)
    pages = ps.raster_pages(forms_pdf(round, codes, "https://kaohe.example.cn/v/"))
    return round, round_layout(round), [c.code for c in codes], pages


def test_certain_pages_count_and_the_others_wait_for_a_person(world: Any) -> None:
    from kaohe.audit.models import AuditEvent
    from kaohe.ballots.models import Ballot, PaperScan

    round, layout, codes, pages = _fresh_forms(world, 3)
    clean = fill(pages[0], layout, PLANS[1])
    double = fill(pages[1], layout, PLANS[3])
    phone_used = fill(pages[2], layout, PLANS[0])
    post_ballot(Client(), round, {"JS": "fair"}, codes[2])  # the third code voted by phone
    url = f"/ballots/rounds/{round.pk}/scans/"
    office = world.client(world.office)
    upload = [_png(ps.rotate(clean, 3)), _png(double), _png(phone_used), _png(clean)]
    response = office.post(url, {"scans": upload})
    assert response.status_code == 302
    [ballot] = Ballot.objects.exclude(grades={"JS": "fair"})
    assert ballot.grades == expected(PLANS[1])[0]
    assert len(PaperScan.objects.all()) == 3  # the double mark, the used code, the clean page again
    assert [set(s.reading["problems"]) for s in PaperScan.objects.order_by("pk")] == [
        {"double_mark", "unsure_box"},  # two ticks in one row, a faint dot in another
        {"used_code"},  # voted by phone
        {"used_code"},  # the clean page scanned twice: counted once
    ]
    assert AuditEvent.objects.get(action="paper_scans_record").after == {
        "pages": 4,
        "counted": 1,
        "to_review": 3,
    }
    # The person sees the page and the rows read for certain; the doubtful ones are empty.
    doubtful = PaperScan.objects.order_by("pk").first()
    assert doubtful is not None and doubtful.code is not None
    page = office.get(f"{url}{doubtful.pk}/")
    assert page.status_code == 200 and "paper-differs" in page.content.decode()
    image = office.get(f"{url}{doubtful.pk}/page.png")
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")
    keys = {f"k:{d['code']}": "0" for d in round.departments} | {"k:JS": "1"}
    assert office.post(f"{url}{doubtful.pk}/", keys).status_code == 302
    assert Ballot.objects.count() == 3
    assert round.codes.filter(used=True).count() == 3
    # A page of a code that has voted: set aside, it casts nothing.
    for scan in PaperScan.objects.all():
        assert office.post(f"{url}{scan.pk}/", {"discard": "1"}).status_code == 302
    assert not PaperScan.objects.exists() and Ballot.objects.count() == 3


def test_an_upload_that_is_no_scan_is_refused_in_chinese(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kaohe.ballots.models import PaperScan

    round = open_round(world, groups=[("中层正职", 1)])
    fake = SimpleUploadedFile("scan.pdf", b'=HYPERLINK("x")', content_type="application/pdf")
    response = world.client(world.office).post(
        f"/ballots/rounds/{round.pk}/scans/", {"scans": [fake]}
    )
    assert response.status_code == 400
    assert "PDF" in response.content.decode() and "只" in response.content.decode()
    broken = SimpleUploadedFile("a.pdf", b"%PDF-1.4 broken", content_type="application/pdf")
    response = world.client(world.office).post(
        f"/ballots/rounds/{round.pk}/scans/", {"scans": [broken]}
    )
    assert response.status_code == 400
    assert not PaperScan.objects.exists()


def test_closing_the_round_deletes_its_kept_scans(world: Any) -> None:
    from kaohe.ballots.models import PaperScan

    round, layout, codes, pages = _fresh_forms(world, 1)
    world.client(world.office).post(
        f"/ballots/rounds/{round.pk}/scans/", {"scans": [_png(fill(pages[0], layout, PLANS[2]))]}
    )
    assert PaperScan.objects.count() == 1
    post_ballot(Client(), round, {}, codes[0])
    actions.round_close(by=world.office, round=round)
    assert not PaperScan.objects.exists()


def test_a_scanned_pdf_is_read_page_by_page(world: Any) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from kaohe.ballots.models import Ballot, PaperScan

    round, layout, codes, pages = _fresh_forms(world, 2)
    filled = [
        Image.fromarray(ps.rotate(fill(pages[0], layout, PLANS[1]), -2)),
        Image.fromarray(fill(pages[1], layout, PLANS[2])),
    ]
    buffer = io.BytesIO()
    filled[0].save(buffer, "PDF", resolution=110, save_all=True, append_images=filled[1:])
    scan = SimpleUploadedFile("扫描.pdf", buffer.getvalue(), content_type="application/pdf")
    response = world.client(world.office).post(
        f"/ballots/rounds/{round.pk}/scans/", {"scans": [scan]}
    )
    assert response.status_code == 302
    assert [b.grades for b in Ballot.objects.all()] == [expected(PLANS[1])[0]]
    [kept] = PaperScan.objects.all()
    assert kept.reading["problems"] == ["correction"] and kept.reading["doubtful"] == ["JS"]
