"""The scheme's form editor and the differences between two schemes, on a laptop and a phone
(issue 10, point 13)."""

from __future__ import annotations

import pytest

from kaohe.audit.models import AuditEvent
from kaohe.engine import builtin_scheme
from kaohe.years.models import SchemeDocument, Year
from tests.browser.conftest import VIEWPORTS, Pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def field(path: str) -> str:
    """The input of the field named by its JSON path."""
    return f'[data-path="{path}"] input'


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_office_edits_a_scheme_with_the_form_and_sees_its_problems_beside_the_fields(
    pages: Pages, screen: str
) -> None:
    world = pages.world
    document = builtin_scheme("cz-jxw-2016").copy_document(new_id="cz-jxw-2017")
    SchemeDocument.objects.create(scheme_id="cz-jxw-2017", name="2017 方案", document=document)
    page = pages.login(world.office, screen)
    page.goto(f"{pages.base}/years/schemes/")
    page.click("td a:text-is('修改')")
    page.wait_for_url("**/schemes/cz-jxw-2017/form/")
    # an impossible range and negative points: the engine's words beside each field
    page.fill(field("categories[0].items[0].rules[1].min"), "6")
    page.fill(field("categories[1].points"), "-5")
    page.click("button:has-text('保存')")
    page.wait_for_load_state()
    beside_max = page.inner_text('[data-path="categories[0].items[0].rules[1].max"] .errorlist')
    assert "下限(min)不能大于上限(max)" in beside_max
    assert "不能为负数" in page.inner_text('[data-path="categories[1].points"] .errorlist')
    assert "未保存" in page.inner_text("form.scheme-form")
    # the top of the page links to each field with a problem
    assert page.locator("form.scheme-form > .errors ul.jump a").count() == 2
    page.click("form.scheme-form > .errors ul.jump a >> nth=1")
    assert page.evaluate("location.hash") == "#f-categories[1].points"
    assert pages.fits(page)
    page.locator('[data-path="categories[1].points"]').scroll_into_view_if_needed()
    pages.shot(page, f"scheme-form-problems-{screen}")
    assert not AuditEvent.objects.filter(action="scheme_update").exists()
    # corrected, with 业务工作 at 25 points and a rule added: saved
    page.fill(field("categories[0].items[0].rules[1].min"), "1")
    page.fill(field("categories[1].points"), "10")
    page.fill(field("categories[0].points"), "25")
    page.select_option('[name="new_rule.item"]', "2")
    page.fill('[name="new_rule.id"]', "2.wechat")
    page.fill('[name="new_rule.name"]', "政务微信发布信息")
    page.select_option('[name="new_rule.direction"]', "bonus")
    page.fill('[name="new_rule.unit"]', "条")
    page.fill('[name="new_rule.amount"]', "0.1")
    page.fill('[name="new_rule.offices"]', "BG")
    page.click("button:has-text('保存')")
    page.wait_for_load_state()
    assert "已保存" in page.inner_text(".messages")
    saved = SchemeDocument.objects.get(scheme_id="cz-jxw-2017").document
    assert saved["categories"][0]["points"] == "25"
    assert saved["categories"][0]["items"][1]["rules"][-1]["id"] == "2.wechat"
    assert AuditEvent.objects.filter(action="scheme_update").count() == 1


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_years_scheme_page_shows_what_changed_from_last_year(pages: Pages, screen: str) -> None:
    world = pages.world
    doc = builtin_scheme("cz-jxw-2016").copy_document(new_id="cz-jxw-2017", year=2017)
    doc["categories"][0]["points"] = "25"
    doc["categories"][0]["items"][0]["rules"][0]["amount"] = "0.3"
    doc["evaluation"]["kinds"][1]["points"]["general"] = "10"
    doc["honors"]["advanced"] = 6
    Year.objects.create(year=2017, scheme_id="cz-jxw-2017", scheme_document=doc)
    page = pages.login(world.office, screen)
    page.goto(f"{pages.base}/years/2017/scheme/")
    assert "与上一年相比:4 处变化" in page.inner_text(".crumbs")
    section = page.locator("#diff")
    assert "与上一年相比" in section.inner_text()
    assert section.locator("tbody tr").count() == 4
    assert pages.fits(page)
    section.scroll_into_view_if_needed()
    pages.shot(page, f"scheme-diff-{screen}")
    # another scheme chosen: the built-in 2016 one is the same as 2016's
    page.select_option("#compare", "builtin:cz-jxw-2016")
    page.click("#diff button")
    page.wait_for_url("**compare=builtin*")
    assert page.locator("#diff tbody tr").count() == 4
    assert "与上一年相比" not in page.inner_text("#diff")
