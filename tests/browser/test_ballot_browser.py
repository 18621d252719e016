"""A voter on a phone: scan the slip's link, grade, review, submit, thank-you; the link again.

Screenshots go to $KAOHE_SHOTS (tests/browser/conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kaohe.ballots import actions
from kaohe.ballots.models import Ballot, BallotCode
from tests.browser.conftest import Pages
from tests.web.ballots_support import issue, open_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page: Any, department: str, grade: str) -> None:
    page.locator("fieldset", has_text=department).get_by_text(grade, exact=True).click()


def test_a_voter_votes_once_from_a_phone(pages: Pages, settings: Any) -> None:
    world, base = pages.world, pages.base
    round = open_round(world, groups=[("中层正职", 2)])
    code, other = issue(world, round)["中层正职"]
    page = pages.open("phone")
    page.goto(f"{base}/v/#{code}")
    page.get_by_role("heading", name="评价各处室").wait_for()
    assert "#" not in page.url  # the fragment is dropped from the address bar
    assert pages.fits(page)
    pages.shot(page, "vote-phone-1-ballot")

    # Forgetting a department: the server says which; the code is not used up.
    choose(page, "技术进步处", "优秀")
    choose(page, "办公室", "良好")
    page.get_by_role("button", name="核对").click()
    page.get_by_role("alert").wait_for()
    assert "信息化推进处" in page.get_by_role("alert").inner_text()
    assert not BallotCode.objects.get(number=1).used
    pages.shot(page, "vote-phone-2-missing")

    choose(page, "信息化推进处", "弃权")
    page.get_by_role("button", name="核对").click()
    page.get_by_role("heading", name="核对选票").wait_for()
    pages.shot(page, "vote-phone-3-review")
    page.get_by_role("button", name="提交选票").click()
    page.get_by_role("heading", name="感谢参与").wait_for()
    pages.shot(page, "vote-phone-4-thanks")
    assert [b.grades for b in Ballot.objects.all()] == [{"JS": "excellent", "BG": "good"}]

    page.goto(f"{base}/v/#{code}")
    page.get_by_role("heading", name="已经提交").wait_for()
    pages.shot(page, "vote-phone-5-already")
    assert Ballot.objects.count() == 1

    # A mistyped code: one generic refusal, nothing used.
    page.goto(f"{base}/v/")
    page.get_by_label("测评码").fill(other[:-1] + ("0" if other[-1] != "0" else "1"))
    page.get_by_role("button", name="继续").click()
    page.get_by_role("alert").wait_for()
    pages.shot(page, "vote-phone-6-refused")
    assert not BallotCode.objects.get(number=2).used

    # Codes resembling a refused one, past the throttle's limit: even the right code waits.
    settings.BALLOT_MAX_FAILURES = 1
    page.get_by_label("测评码").fill(other)
    page.get_by_role("button", name="继续").click()
    page.get_by_role("alert").get_by_text("分钟后再试").wait_for()
    assert "分钟后再试" in page.get_by_role("alert").inner_text()
    pages.shot(page, "vote-phone-7-throttled")
    assert not BallotCode.objects.get(number=2).used


def test_the_voter_page_and_the_office_pages_on_a_desktop(pages: Pages) -> None:
    world, base = pages.world, pages.base
    round = open_round(world, groups=[("中层正职", 3), ("中层副职", 2)])
    codes = issue(world, round)["中层正职"]
    page = pages.open("desktop")
    page.goto(f"{base}/v/#{codes[0]}")
    page.get_by_role("heading", name="评价各处室").wait_for()
    pages.shot(page, "vote-desktop-ballot")
    for name in ("技术进步处", "信息化推进处", "办公室"):
        choose(page, name, "良好")
    page.get_by_role("button", name="核对").click()
    page.get_by_role("button", name="提交选票").click()
    page.get_by_role("heading", name="感谢参与").wait_for()

    client = Client()
    client.force_login(world.office)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    page.goto(f"{base}/ballots/rounds/{round.pk}/")
    pages.shot(page, "office-desktop-round")
    page.goto(f"{base}/ballots/rounds/{round.pk}/turnout/")
    page.locator("table.turnout").wait_for()
    assert "20%" in page.locator("tfoot").inner_text()
    pages.shot(page, "office-desktop-turnout")
    page.goto(f"{base}/ballots/2016/rounds/open/")
    pages.shot(page, "office-desktop-open")
    actions.round_close(by=world.office, round=round)
    page.goto(f"{base}/ballots/rounds/{round.pk}/")
    assert "8.00" in page.locator("table").nth(1).inner_text()  # 良好 × 10 points for JS
    pages.shot(page, "office-desktop-closed")
