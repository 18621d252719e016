"""The year switcher and the home's pending work of every year, on a laptop and on a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORTS, Pages
from tests.web.factories import add_entry, make_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_every_role_switches_back_to_last_year_and_the_office_sees_its_pending_work(
    pages: Pages, screen: str
) -> None:
    world = pages.world
    add_entry(world.year, world.js, "1.report_missed", status="submitted")
    make_year(2017, [world.js, world.xx, world.bg])
    # a department head: from the home to 2016, its ledger, and the same page of 2017
    page = pages.login(world.head_js, screen)
    assert page.inner_text("#year-switch .current") == "2017"
    page.click("#year-switch >> text=2016")
    page.wait_for_url("**/years/2016/")
    assert page.inner_text("#year-switch .current") == "2016"
    page.click("nav.menu >> text=台账")
    page.wait_for_url("**/ledger/2016/entries/")
    assert pages.fits(page)
    pages.shot(page, f"year-switch-ledger-2016-{screen}")
    page.click("#year-switch >> text=2017")
    page.wait_for_url("**/ledger/2017/entries/")
    # the office: the 2016 entry waits on the home once 2017 exists, linked to 2016's queue
    page = pages.login(world.office, screen)
    assert page.inner_text("[data-count=awaiting-review]") == "1"
    page.click("#wb-pending [data-year='2016'] a")
    page.wait_for_url("**/ledger/2016/review/")
    page.go_back()
    assert pages.fits(page)
    pages.shot(page, f"year-switch-office-home-{screen}")
