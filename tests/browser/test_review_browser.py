"""The review queue in a real browser (issue 10.11): what each entry is in its row, evidence
opened in place, several entries confirmed or returned at once, the page staying where it was.
Desktop and phone; screenshots to $KAOHE_SHOTS."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaohe.ledger import actions
from kaohe.ledger.evidence import check_upload
from kaohe.ledger.models import Entry
from tests.browser.conftest import Pages
from tests.web.factories import add_entry
from tests.web.test_review_bulk import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def queue(pages: Pages) -> tuple[list[Entry], Entry]:
    """Eight submitted entries (the first with a description, a person and a photo) and a
    range entry."""
    w = pages.world
    pairs = [(d, p) for d in (w.js, w.xx, w.bg) for p in ("H1", "H2", "year")][:8]
    entries = [
        add_entry(
            w.year,
            dept,
            "1.report_missed",
            status="submitted",
            period=period,
            description=f"{dept.name}{period}未按时报送",
        )
        for dept, period in pairs
    ]
    first = entries[0]
    first.persons.add(w.js.staff.get(name="JS甲"))
    photo, _problem = check_upload(SimpleUploadedFile("督查截图.png", PNG))
    actions.evidence_attach(by=w.office, entry=first, files=[photo])
    ranged = add_entry(w.year, w.js, "1.target_unmet", status="submitted")
    return entries, ranged


def statuses(entries: list[Entry]) -> list[str]:
    return [Entry.objects.get(pk=e.pk).status for e in entries]


def test_several_entries_confirmed_in_place_on_a_laptop(pages: Pages) -> None:
    from playwright.sync_api import expect

    entries, ranged = queue(pages)
    page = pages.login(pages.world.office)
    page.goto(f"{pages.base}/ledger/2016/review/")
    first = page.locator(f"#entry-{entries[0].pk}")
    expect(first).to_contain_text("技术进步处H1未按时报送")
    expect(first).to_contain_text("JS甲")
    first.locator("summary", has_text="证明材料").click()
    picture = first.locator("details.evidence img")
    expect(picture).to_be_visible()
    # shown is not yet loaded (a busy machine): wait until the browser is done with it, loaded or
    # broken, then a broken picture still fails here
    page.wait_for_function("i => i.complete", arg=picture.element_handle())
    assert picture.evaluate("i => i.naturalWidth") == 1
    pages.shot(page, "i10c-review-desktop")
    # a marker on the window tells a full reload from a swap
    page.evaluate("window.kept = true")
    for e in (entries[5], entries[6], ranged):
        page.locator(f"#entry-{e.pk} input[name=entries]").check()
    page.locator(f"#entry-{ranged.pk}").scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    page.get_by_role("button", name="确认所选").click()
    expect(page.locator(".outcomes")).to_contain_text("已确认 2 条，未处理 1 条。")
    expect(page.locator(".outcomes")).to_contain_text(
        f"{ranged.ref}：区间分值的记录须由考核办评定分值后确认。"
    )
    Pages.settled(page)
    assert page.evaluate("window.kept") is True
    assert abs(page.evaluate("window.scrollY") - scrolled) < 200  # not jumped to the top
    expect(page.locator(f"#entry-{entries[5].pk}")).to_have_count(0)
    expect(page.locator(f"#entry-{ranged.pk}")).to_have_count(1)
    assert statuses([entries[5], entries[6], ranged]) == ["confirmed", "confirmed", "submitted"]
    pages.shot(page, "i10c-review-after-desktop")
    # select all, then return them with one reason; a missing reason changes nothing first
    page.locator(".select-all").check()
    page.get_by_role("button", name="退回所选").click()
    expect(page.locator(".outcomes")).to_contain_text("请填写退回理由。")
    Pages.settled(page)
    page.locator(".select-all").check()
    page.fill("input[name=reason]", "请补充证明材料")
    page.get_by_role("button", name="退回所选").click()
    expect(page.locator(".outcomes")).to_contain_text("已退回 7 条，未处理 0 条。")
    assert set(statuses([*entries[:5], entries[7], ranged])) == {"returned"}


def test_the_queue_on_a_phone(pages: Pages) -> None:
    from playwright.sync_api import expect

    entries, _ranged = queue(pages)
    page = pages.login(pages.world.office, "phone")
    page.goto(f"{pages.base}/ledger/2016/review/")
    first = page.locator(f"#entry-{entries[0].pk}")
    first.locator("summary", has_text="证明材料").click()
    expect(first.locator("details.evidence img")).to_be_visible()
    assert Pages.fits(page)
    pages.shot(page, "i10c-review-phone")
    row = page.locator(f"#entry-{entries[3].pk}")
    row.locator("input[type=text]").fill("次数有误")
    row.get_by_role("button", name="退回").click()
    expect(page.locator(".outcomes")).to_contain_text("已退回 1 条，未处理 0 条。")
    assert statuses([entries[3]]) == ["returned"]
    assert Pages.fits(page)
    pages.shot(page, "i10c-review-after-phone")
