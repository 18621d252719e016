"""The self-assessment form adds up live on a laptop and on a phone (issue 10.3)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORTS, Pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_form_adds_up_live_and_refuses_an_impossible_score(pages: Pages, screen: str) -> None:
    world = pages.world
    page = pages.login(world.head_js, screen)
    page.goto(f"{pages.base}/years/2016/departments/JS/self-assessment/")
    # typing scores updates the category's subtotal and the total, in exact hundredths
    page.fill("input[name=score_1]", "18.1")
    page.fill("input[name=score_2]", "0.2")
    page.fill("input[name=score_4]", "9")
    assert page.inner_text("output[data-subtotal=business]") == "18.30"
    assert page.inner_text("output[data-total]") == "27.30"
    # a score over the category's points is marked and left out of the sum
    page.fill("input[name=score_3]", "25")
    assert "invalid" in (page.get_attribute("input[name=score_3]", "class") or "")
    assert page.inner_text("output[data-total]") == "27.30"
    # submitted anyway, the server refuses it with the item and the bound
    page.fill("input[name=head_name]", "张处长")
    page.click("#self-assessment button[type=submit]")
    page.wait_for_load_state()
    assert "第 3 项“加大信息宣传力度”：自评分应在 0 至 20 分之间。" in page.inner_text("main")
    assert pages.fits(page)
    pages.shot(page, f"self-assessment-refused-{screen}")
    page.fill("input[name=score_3]", "1")
    page.click("#self-assessment button[type=submit]")
    page.wait_for_url("**/self-assessment/")
    assert page.inner_text("output[data-total]") == "28.30"
    assert "第 1 次提交" in page.inner_text("#revisions")
    assert pages.fits(page)
    pages.shot(page, f"self-assessment-{screen}")
