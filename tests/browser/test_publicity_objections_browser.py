"""The office answers an objection raised in the publicity; the objector reads the answer
(issue 10.9), on a laptop and on a phone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kaohe.results.models import PublicityObjection
from tests.browser.conftest import VIEWPORTS, Pages
from tests.web.seal_support import published_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_office_answers_and_the_objector_reads_it(pages: Pages, screen: str) -> None:
    world = pages.world
    today = timezone.localdate()
    published_world(world, publicity_start=today, publicity_end=today + datetime.timedelta(days=5))
    PublicityObjection.objects.create(
        publication_id=world.year.publications.get().pk,
        department=world.js,
        text="民主测评票数有误",
        raised_by=world.head_js,
    )
    page = pages.login(world.office, screen)
    page.goto(f"{pages.base}/results/2016/objections/")
    assert pages.fits(page)
    pages.shot(page, f"publicity-objections-{screen}")
    page.select_option("select[name=status]", "replied")
    page.fill("textarea[name=answer]", "经核对，票数无误。")
    page.click("form.answer-form button[type=submit]")
    page.wait_for_url("**/objections/")
    page = pages.login(world.head_js, screen)
    page.goto(f"{pages.base}/results/2016/")
    assert "经核对，票数无误。" in page.inner_text("#my-objections")
    assert pages.fits(page)
    page.locator("#objection").scroll_into_view_if_needed()
    pages.shot(page, f"publicity-my-objections-{screen}")
