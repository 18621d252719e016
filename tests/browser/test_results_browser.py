"""In a real browser: the party group confirms the proposal, and staff read the published results."""

from __future__ import annotations

from typing import Any

import pytest

from kaohe.results.models import Publication
from tests.browser.conftest import Pages
from tests.web.results_support import Demo, demo_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(pages: Pages, page: Any, name: str) -> None:
    """A screenshot once the page has scrolled to its end and loaded its charts."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    pages.shot(page, f"results-{name}")


def test_from_proposal_to_publication_and_the_published_page(pages: Pages) -> None:
    demo = Demo(demo_year())
    base = pages.base
    # the assessment office previews the proposal: no blockers
    office = pages.login(demo.office)
    office.goto(f"{base}/results/2016/proposal/")
    assert "没有待处理事项" in office.inner_text("#blockers")
    shot(pages, office, "proposal-desktop")
    # a party group member reviews it and confirms, keeping the proposed recommended pair
    party = pages.login(demo.party)
    party.goto(f"{base}/results/2016/confirm/")
    checked = party.locator("input[name=recommended]:checked")
    assert checked.count() == 2
    party.fill("input[name=meeting]", "委党组会议(2017-01-20)")
    party.fill("input[name=notice_number]", "常经信党〔2017〕3号")
    shot(pages, party, "confirm-desktop")
    party.click("#publish")
    party.wait_for_url(f"{base}/results/2016/")
    assert "考核结果已确认并公布" in party.inner_text(".messages")
    assert "第1版" in party.inner_text("#version-info")
    publication = Publication.objects.get()
    assert publication.confirmed_by == demo.party
    # the published page shows the honors, the ranking and the charts
    assert "信息化推进处" in party.inner_text("#honors")
    images = party.locator("#charts img")
    assert images.count() == 3
    party.wait_for_load_state("networkidle")
    assert all(images.nth(i).evaluate("i => i.naturalWidth") > 0 for i in range(3))
    shot(pages, party, "published-desktop")
    # a department head reads it on a phone: their own trail, nothing wider than the screen
    head = pages.login(demo.head_js, "phone")
    head.goto(f"{base}/results/2016/")
    assert head.locator("#trail-JS").count() == 1
    assert head.locator("#trail-XXH").count() == 0
    assert pages.fits(head)
    shot(pages, head, "published-phone")
    head.goto(f"{base}/results/2016/versions/1/")
    shot(pages, head, "version-phone")


def test_the_confirm_page_on_a_phone(pages: Pages) -> None:
    demo = Demo(demo_year())
    page = pages.login(demo.party, "phone")
    page.goto(f"{pages.base}/results/2016/confirm/")
    assert page.locator("#confirm-form").count() == 1
    assert pages.fits(page)
    shot(pages, page, "confirm-phone")
