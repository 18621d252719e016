"""The error pages in a real browser, on a desktop and a phone: Chinese, styled, a way back.
Screenshots go to $KAOHE_SHOTS (default /tmp/shots/)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORTS, Pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_missing_page_and_a_refused_one_lead_back(pages: Pages, size: str) -> None:
    from playwright.sync_api import expect

    base = pages.base
    page = pages.login_with_form(pages.world.clerk_zh, size)
    page.goto(f"{base}/ledger/2016/entries/")
    # as a stale bookmark or a mistyped link from the ledger would
    page.goto(f"{base}/ledger/2016/no-such-page/", referer=f"{base}/ledger/2016/entries/")
    expect(page.locator("h1")).to_have_text("页面不存在")
    expect(page).to_have_title("页面不存在 · 内设机构考核")
    assert pages.fits(page)
    # styled: the site's stylesheet applies (the button has the accent colour)
    colour = page.locator(".error-ways .button").last.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert colour == "rgb(179, 38, 30)"
    pages.shot(page, f"error-404-{size}")
    page.get_by_role("link", name="返回上一页").click()
    page.wait_for_url(f"{base}/ledger/2016/entries/")
    response = page.goto(f"{base}/ledger/2016/review/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("没有权限")
    pages.shot(page, f"error-403-{size}")
    page.get_by_role("link", name="回到首页").click()
    page.wait_for_url(f"{base}/")
