"""The half-year supervision circular drafted, previewed, published and read, on a laptop and
on a phone (issue 11.3)."""

from __future__ import annotations

import pytest

from kaohe.results.models import Circular
from tests.browser.conftest import VIEWPORTS, Pages
from tests.web.factories import add_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_office_drafts_and_publishes_the_circular_and_a_department_reads_it(
    pages: Pages, screen: str
) -> None:
    world = pages.world
    add_entry(world.year, world.js, "1.report_missed", period="H1", count=1)
    base = pages.base
    page = pages.login(world.office, screen)
    page.goto(f"{base}/years/2016/")
    page.click("text=督查通报")
    page.wait_for_url("**/results/2016/circulars/")
    # a wrong number is refused in Chinese, nothing is written
    page.select_option("#id_half", "H1")
    page.fill("#id_number", "常经信考[2016]3号")
    page.fill("#id_date", "2016-07-20")
    page.click("#circular-new button")
    assert "六角括号" in page.inner_text("#circular-new")
    page.fill("#id_number", "常经信考〔2016〕3号")
    page.click("#circular-new button")
    page.wait_for_url("**/results/2016/circulars/H1/edit/")
    page.fill("#id_preface", "现将2016年上半年考核督查情况通报如下：")
    page.click("#circular-form button[type=submit]")
    page.wait_for_url("**/circulars/H1/edit/")
    assert "草稿已保存" in page.inner_text("main")
    page.click("#circular-form button[hx-get]")
    page.wait_for_selector("#preview #circular")
    pages.settled(page)
    preview = page.inner_text("#preview")
    assert "现将2016年上半年考核督查情况通报如下" in preview
    assert "名次（暂定）" in preview and "尚未印发" in preview
    assert "业务工作0.20分" in preview  # the confirmed deduction of JS in the first half
    assert pages.fits(page)
    pages.shot(page, f"circular-edit-{screen}")
    page.click("#publish button")
    page.wait_for_url("**/results/2016/circulars/H1/")
    assert "通报已印发" in page.inner_text("main")
    assert Circular.objects.filter(year=world.year, half="H1").exists()
    # a department reads the published circular, without the office's forms
    page = pages.login(world.head_js, screen)
    page.goto(f"{base}/results/2016/circulars/")
    assert page.locator("#circular-new").count() == 0
    page.click("#published-circulars a >> nth=0")
    page.wait_for_url("**/results/2016/circulars/H1/")
    text = page.inner_text("#circular")
    assert "常经信考〔2016〕3号" in text and "暂定排名" in text and "尚未印发" not in text
    assert pages.fits(page)
    pages.shot(page, f"circular-{screen}")
