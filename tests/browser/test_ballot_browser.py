"""A voter on a phone: scan the slip's link, grade, review, submit, thank-you; the link again.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against pytest-django's live server.
Screenshots go to $KAOHE_SHOTS or /tmp/shots/ (looked at by hand when the pages change).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kaohe.ballots import actions
from kaohe.ballots.models import Ballot, BallotCode
from tests.web import conftest as web
from tests.web.ballots_support import issue, open_round

# The web tests' personas around the small year 2016, reused here.
world = web.world

# Playwright's sync API runs an event loop in the test's thread; Django must allow the ORM there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # The personas' passwords are hashed on every test; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("KAOHE_SHOTS", "/tmp/shots"))
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def phone(browser: Any) -> Any:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    return context.new_page()


def choose(page: Any, department: str, grade: str) -> None:
    page.locator("fieldset", has_text=department).get_by_text(grade, exact=True).click()


def test_a_voter_votes_once_from_a_phone(
    live_server: Any, world: Any, browser: Any, settings: Any
) -> None:
    round = open_round(world, groups=[("中层正职", 2)])
    code, other = issue(world, round)["中层正职"]
    page = phone(browser)
    page.goto(f"{live_server.url}/v/#{code}")
    page.get_by_role("heading", name="评价各处室").wait_for()
    assert "#" not in page.url  # the fragment is dropped from the address bar
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "vote-360-1-ballot.png"), full_page=True)

    # Forgetting a department: the server says which; the code is not used up.
    choose(page, "技术进步处", "优秀")
    choose(page, "办公室", "良好")
    page.get_by_role("button", name="核对").click()
    page.get_by_role("alert").wait_for()
    assert "信息化推进处" in page.get_by_role("alert").inner_text()
    assert not BallotCode.objects.get(number=1).used
    page.screenshot(path=str(SHOTS / "vote-360-2-missing.png"), full_page=True)

    choose(page, "信息化推进处", "弃权")
    page.get_by_role("button", name="核对").click()
    page.get_by_role("heading", name="核对选票").wait_for()
    page.screenshot(path=str(SHOTS / "vote-360-3-review.png"), full_page=True)
    page.get_by_role("button", name="提交选票").click()
    page.get_by_role("heading", name="感谢参与").wait_for()
    page.screenshot(path=str(SHOTS / "vote-360-4-thanks.png"), full_page=True)
    assert [b.grades for b in Ballot.objects.all()] == [{"JS": "excellent", "BG": "good"}]

    page.goto(f"{live_server.url}/v/#{code}")
    page.get_by_role("heading", name="已经提交").wait_for()
    page.screenshot(path=str(SHOTS / "vote-360-5-already.png"), full_page=True)
    assert Ballot.objects.count() == 1

    # A mistyped code: one generic refusal, nothing used.
    page.goto(f"{live_server.url}/v/")
    page.get_by_label("测评码").fill(other[:-1] + ("0" if other[-1] != "0" else "1"))
    page.get_by_role("button", name="继续").click()
    page.get_by_role("alert").wait_for()
    page.screenshot(path=str(SHOTS / "vote-360-6-refused.png"), full_page=True)
    assert not BallotCode.objects.get(number=2).used

    # Codes resembling a refused one, past the throttle's limit: even the right code waits.
    settings.BALLOT_MAX_FAILURES = 1
    page.get_by_label("测评码").fill(other)
    page.get_by_role("button", name="继续").click()
    page.get_by_role("alert").get_by_text("分钟后再试").wait_for()
    assert "分钟后再试" in page.get_by_role("alert").inner_text()
    page.screenshot(path=str(SHOTS / "vote-360-7-throttled.png"), full_page=True)
    assert not BallotCode.objects.get(number=2).used


def test_the_voter_page_and_the_office_pages_on_a_desktop(
    live_server: Any, world: Any, browser: Any
) -> None:
    round = open_round(world, groups=[("中层正职", 3), ("中层副职", 2)])
    codes = issue(world, round)["中层正职"]
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/v/#{codes[0]}")
    page.get_by_role("heading", name="评价各处室").wait_for()
    page.screenshot(path=str(SHOTS / "vote-desktop-ballot.png"), full_page=True)
    for name in ("技术进步处", "信息化推进处", "办公室"):
        choose(page, name, "良好")
    page.get_by_role("button", name="核对").click()
    page.get_by_role("button", name="提交选票").click()
    page.get_by_role("heading", name="感谢参与").wait_for()

    client = Client()
    client.force_login(world.office)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/ballots/rounds/{round.pk}/")
    page.screenshot(path=str(SHOTS / "office-desktop-round.png"), full_page=True)
    page.goto(f"{live_server.url}/ballots/rounds/{round.pk}/turnout/")
    page.locator("table.turnout").wait_for()
    assert "20%" in page.locator("tfoot").inner_text()
    page.screenshot(path=str(SHOTS / "office-desktop-turnout.png"), full_page=True)
    page.goto(f"{live_server.url}/ballots/2016/rounds/open/")
    page.screenshot(path=str(SHOTS / "office-desktop-open.png"), full_page=True)
    actions.round_close(by=world.office, round=round)
    page.goto(f"{live_server.url}/ballots/rounds/{round.pk}/")
    assert "8.00" in page.locator("table").nth(1).inner_text()  # 良好 × 10 points for JS
    page.screenshot(path=str(SHOTS / "office-desktop-closed.png"), full_page=True)
