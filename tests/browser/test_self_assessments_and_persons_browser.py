"""The assessment office's comparison of self scores and assessed scores, and the individual
report, on a laptop and on a phone (issue 12.1, 12.4)."""

from __future__ import annotations

from datetime import date

import pytest

from kaohe.ledger.models import EntryPerson
from kaohe.org.models import Person
from kaohe.years import actions
from tests.browser.conftest import VIEWPORTS, Pages
from tests.web.factories import add_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_comparison_marks_what_differs_and_offers_every_form(pages: Pages, screen: str) -> None:
    world = pages.world
    raw = {str(n): ("", "") for n in world.year.scheme.items}
    raw["1"], raw["4"] = ("18.5", "全年目标基本完成"), ("10", "")
    actions.self_assessment_submit(
        by=world.head_js,
        year=world.year,
        department=world.js,
        raw=raw,
        filled_on=date(2017, 1, 8),
        head_name="张处长",
    )
    add_entry(world.year, world.js, "4.study_absence", period="H1", count=2)
    page = pages.login(world.office, screen)
    page.goto(f"{pages.base}/years/2016/")
    page.click("text=考核自评表")
    page.wait_for_url("**/self-assessments/")
    assert "全部自评表（PDF）" in page.inner_text("main")
    assert page.locator("#d-JS tr.differs").count() >= 2  # 业务工作, 能力建设 and the content
    assert pages.fits(page)
    pages.shot(page, f"self-assessments-{screen}")


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_individual_report_shares_each_entry_by_the_persons_times(
    pages: Pages, screen: str
) -> None:
    world = pages.world
    entry = add_entry(world.year, world.js, "4.study_absence", period="H1", count=3)
    for name, times in (("JS甲", 2), ("JS乙", 1)):
        EntryPerson.objects.create(entry=entry, person=Person.objects.get(name=name), times=times)
    page = pages.login(world.clerk_rs, screen)
    page.goto(f"{pages.base}/years/2016/")
    page.click("text=个人考核得分")
    page.wait_for_url("**/persons/")
    text = page.inner_text("main")
    assert "JS甲" in text and "-0.40" in text and "-0.20" in text
    assert pages.fits(page)
    pages.shot(page, f"persons-{screen}")
