"""Nothing clipped, no header a character a line (issue 10.21): the published page (公示) at
1280 px and 360 px, and the pages whose tables have many columns on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Pages
from tests.web.results_support import Demo, demo_year, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every scroll box that cuts off its content (scrolling sideways inside a box is allowed on a
# phone, never on a laptop), and every header cell taller than one line of its text.
CLIPPED = """() => [...document.querySelectorAll('main .table-wrap, main td, main th')]
  .filter(e => getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1)
  .map(e => (e.className || e.tagName) + " " + e.scrollWidth + ">" + e.clientWidth)"""
WRAPPED_HEADERS = """() => [...document.querySelectorAll('main th')]
  .filter(th => th.offsetParent !== null && th.innerText.trim().length > 1)
  // a table stacked into cards on a phone keeps its header row for screen readers only
  .filter(th => getComputedStyle(th.closest('thead') || th).position !== 'absolute')
  .filter(th => {
    const range = document.createRange(); range.selectNodeContents(th);
    const line = parseFloat(getComputedStyle(th).lineHeight) || 20;
    const lines = th.innerText.trim().split(String.fromCharCode(10)).length;  // a <br>: meant
    return range.getBoundingClientRect().height > line * (lines + 0.5);
  })
  .map(th => th.innerText.trim() + " @" + location.pathname)"""
BADGES_CUT = """() => [...document.querySelectorAll('main .honor')].filter(b => {
  const box = b.getBoundingClientRect(), wrap = b.closest('.table-wrap');
  const edge = wrap ? wrap.getBoundingClientRect().right : window.innerWidth;
  return box.right > edge + 1 || b.scrollWidth > b.clientWidth + 1;
}).map(b => b.innerText)"""


# Pages with tables of many columns, as the assessment office sees them on a phone.
PHONE_PAGES = (
    "/results/2016/",
    "/results/2016/versions/1/",
    "/results/2016/versions/",
    "/results/2016/proposal/",
    "/results/across/",
    "/years/2016/overview/",
    "/years/2016/departments/",
    "/years/2016/departments/JS/",
    "/years/2016/scheme/",
    "/ballots/2016/rounds/",
    "/ledger/2016/entries/",
    "/ledger/2016/review/",
    "/audit/",
)


def check(page: Any, *, laptop: bool) -> None:
    assert Pages.fits(page)
    assert page.evaluate(WRAPPED_HEADERS) == []
    if laptop:
        assert page.evaluate(CLIPPED) == []
        assert page.evaluate(BADGES_CUT) == []


def test_the_published_page_clips_nothing_at_1280_and_360(pages: Pages) -> None:
    demo = Demo(demo_year())
    publish(demo.year, by=demo.party, notice_number="常经信党〔2017〕3号")
    desktop = pages.login(demo.office)
    desktop.goto(f"{pages.base}/results/2016/")
    assert desktop.locator(".honor.recommended").count() >= 1
    pages.shot(desktop, "i10c-published-desktop")
    check(desktop, laptop=True)
    phone = pages.login(demo.office, "phone")
    wrapped, wide = [], []
    for url in PHONE_PAGES:
        phone.goto(f"{pages.base}{url}")
        pages.shot(phone, "i10c-phone" + url.replace("/", "-").rstrip("-"))
        wrapped += phone.evaluate(WRAPPED_HEADERS)
        if not Pages.fits(phone):
            wide.append(url)
    assert (wrapped, wide) == ([], [])
