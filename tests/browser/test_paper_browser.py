"""The office's paper-form pages in a browser: keyboard entry, the third person's decision, a
scanned page beside its entry form; on a desktop and on a phone.

Screenshots go to $KAOHE_SHOTS (tests/browser/conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from kaohe.ballots import actions
from kaohe.ballots.models import Ballot, PaperEntry, PaperScan
from kaohe.ballots.paper.printing import forms_pdf, round_layout
from kaohe.ballots.paper.reading import read_page
from kaohe.core.codes import short_code_display
from tests.browser.conftest import Pages
from tests.web import paper_support as ps
from tests.web.ballots_support import open_round
from tests.web.factories import RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def type_form(page: Any, code: str, keys: str) -> None:
    """Type a form as a clerk does: the code, Enter, then one key per row (the cursor moves on)."""
    page.fill("[data-paper-code]", code)
    page.press("[data-paper-code]", "Enter")
    for key in keys:
        page.keyboard.press(key)


def test_two_clerks_enter_a_form_with_the_keyboard(pages: Pages) -> None:
    world, base = pages.world, pages.base
    round = open_round(world, groups=[("中层正职", 1)])
    [issued] = actions.codes_issue(by=world.office, round=round, paper=True)
    url = f"{base}/ballots/rounds/{round.pk}/paper/"
    page = pages.login(world.office)
    page.goto(url)
    # The short code as printed under the QR code; x is ignored: no such key.
    type_form(page, short_code_display(issued.short), "x130")
    grades = page.locator("[data-paper-grade]").all_inner_texts()
    assert grades == ["优秀", "一般", "弃权"]
    assert page.evaluate("document.activeElement.type") == "submit"
    assert pages.fits(page)
    pages.shot(page, "paper-entry-desktop")
    page.keyboard.press("Enter")
    page.get_by_text("已录入").wait_for()
    assert PaperEntry.objects.count() == 1 and not Ballot.objects.exists()

    second = RoleFactory(kind="assessment_office").user
    phone = pages.login(second, "phone")
    phone.goto(url)
    type_form(phone, issued.short.lower(), "130")
    assert pages.fits(phone)
    pages.shot(phone, "paper-entry-phone")
    phone.get_by_role("button", name="保存本次录入").click()
    phone.get_by_text("该测评票已计入").wait_for()
    assert [b.grades for b in Ballot.objects.all()] == [{"BG": "excellent", "JS": "fair"}]


def test_a_third_person_decides_a_disputed_form(pages: Pages) -> None:
    world, base = pages.world, pages.base
    round = open_round(world, groups=[("中层正职", 1)])
    [issued] = actions.codes_issue(by=world.office, round=round, paper=True)
    first, second = (RoleFactory(kind="assessment_office").user for _ in range(2))
    actions.paper_entry_record(by=first, round=round, code=issued.code, grades={"JS": "good"})
    actions.paper_entry_record(by=second, round=round, code=issued.code, grades={"JS": "fair"})
    entry = PaperEntry.objects.get()
    for viewport in ("desktop", "phone"):
        page = pages.login(world.office, viewport)
        page.goto(f"{base}/ballots/rounds/{round.pk}/paper/disputes/")
        pages.shot(page, f"paper-disputes-{viewport}")
        page.get_by_role("link", name="裁定", exact=True).click()
        page.locator("tr.paper-differs").wait_for()
        assert pages.fits(page)
        pages.shot(page, f"paper-decide-{viewport}")
    page.fill("[data-paper-code]", issued.code)
    page.press("[data-paper-code]", "Enter")
    for key in "020":
        page.keyboard.press(key)
    page.get_by_role("button", name="记录裁定结果").click()
    page.get_by_text("该测评票已计入").wait_for()
    assert [b.grades for b in Ballot.objects.all()] == [{"JS": "good"}]
    assert not PaperEntry.objects.filter(pk=entry.pk).exists()


def test_a_scanned_page_is_decided_beside_its_image(pages: Pages) -> None:
    world, base = pages.world, pages.base
    round = open_round(world, groups=[("中层正职", 1)])
    codes = actions.codes_issue(by=world.office, round=round, paper=True)
    layout = round_layout(round)
    [image] = ps.raster_pages(forms_pdf(round, codes, "https://kaohe.example.cn/v/"))
    image = image.copy()
    ps.tick(image, ps.box(layout, "JS", "good"))
    ps.tick(image, ps.box(layout, "XX", "good"))
    ps.tick(image, ps.box(layout, "XX", "fair"))  # two ticks in a row: a person decides
    scanned = ps.rotate(image, 2)
    actions.scans_record(
        by=world.office, round=round, readings=[(read_page(scanned, layout), scanned)]
    )
    scan = PaperScan.objects.get()
    for viewport in ("desktop", "phone"):
        page = pages.login(world.office, viewport)
        page.goto(f"{base}/ballots/rounds/{round.pk}/scans/")
        pages.shot(page, f"paper-scans-{viewport}")
        page.get_by_role("link", name="裁定", exact=True).click()
        page.locator("tr.paper-differs").wait_for()
        page.wait_for_function("() => document.querySelector('.paper-scan img').naturalWidth > 0")
        assert pages.fits(page)
        pages.shot(page, f"paper-scan-{viewport}")
    page.locator("input[name='k:XX']").focus()
    page.keyboard.press("3")
    page.get_by_role("button", name="计入此票").click()
    page.get_by_text("该测评票已计入").wait_for()
    assert [b.grades for b in Ballot.objects.all()] == [{"JS": "good", "XX": "fair"}]
    assert not PaperScan.objects.filter(pk=scan.pk).exists()
