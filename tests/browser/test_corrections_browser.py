"""The department type correction's preview, and a 人次 entry's persons with their times, on a
laptop and on a phone (issue 10, points 1 and 2)."""

from __future__ import annotations

import pytest

from kaohe.ballots.models import Ballot
from kaohe.engine.numbers import fmt2
from kaohe.ledger.models import Entry
from kaohe.org.models import Person
from kaohe.results.selectors import live_year
from tests.browser.conftest import VIEWPORTS, Pages
from tests.web.results_support import hold_rounds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_type_correction_previews_the_engines_totals_then_saves(
    pages: Pages, screen: str
) -> None:
    world = pages.world
    hold_rounds(world.year)
    Ballot.objects.filter(round__kind="style").update(grades={"JS": "excellent", "XX": "good"})
    page = pages.login(world.office, screen)
    page.goto(f"{pages.base}/years/2016/departments/")
    assert "处室类型在此已锁定" in page.inner_text("main")
    page.click("main >> text=更正处室类型")
    page.wait_for_url("**/years/2016/departments/type-correction/")
    page.select_option("#id_department", "JS")
    page.select_option("#id_new_type", "general")
    page.fill("#id_reason", "处室职能调整，改按综合部门考核")
    page.click("button[name=preview]")
    page.wait_for_selector("#type-preview")
    row = page.locator("#type-preview-totals tr[data-code=JS]")
    after = row.locator("td").nth(2).inner_text()
    assert pages.fits(page)
    pages.shot(page, f"type-correction-preview-{screen}")
    page.click("button[name=confirm]")
    page.wait_for_url("**/years/2016/departments/")
    assert after == fmt2(live_year(world.year, trail=False).results.get("JS").total)


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_a_person_time_entry_names_each_person_with_times(pages: Pages, screen: str) -> None:
    world = pages.world
    page = pages.login(world.clerk_rs, screen)
    page.goto(f"{pages.base}/ledger/2016/entries/new/")
    page.select_option("#id_department", "JS")
    pages.settled(page)
    page.select_option("#id_rule", "4.study_absence")
    pages.settled(page)
    a, b = Person.objects.get(name="JS甲"), Person.objects.get(name="JS乙")
    page.fill(f"#id_persons_{a.pk}", "2")
    page.fill(f"#id_persons_{b.pk}", "1")
    page.select_option("#id_period", "H1")
    pages.settled(page)
    page.wait_for_function(
        "() => document.querySelector('#amount-preview').innerText.includes('0.60')"
    )
    assert pages.fits(page)
    pages.shot(page, f"person-times-form-{screen}")
    page.click("button[value=draft]")
    page.wait_for_url("**/ledger/entries/*/")
    assert page.inner_text("#entry-persons") == "JS乙 ×1、JS甲 ×2"
    assert Entry.objects.get().count == 3
    pages.shot(page, f"person-times-entry-{screen}")
