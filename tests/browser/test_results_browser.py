"""In a real browser: the party group confirms the proposal, and staff read the published results."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

from kaohe.results.models import Publication  # noqa: E402
from tests.web.factories import PASSWORD  # noqa: E402
from tests.web.results_support import Demo, demo_year  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path("/tmp/shots")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def chromium(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The session's shared browser (tests/browser/conftest.py) if there is one, else our own."""
    try:
        yield request.getfixturevalue("browser")
        return
    except pytest.FixtureLookupError:
        pass
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(name="login")
def login_fixture(chromium: Any, live_server: Any) -> Iterator[Any]:
    """Open a logged-in page as a user, at a viewport; every context is closed afterwards."""
    contexts: list[Any] = []

    def open_page(user: Any, viewport: dict[str, int]) -> Any:
        context = chromium.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_page
    for context in contexts:
        context.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / f"results-{name}.png"), full_page=True)


def test_from_proposal_to_publication_and_the_published_page(login: Any, live_server: Any) -> None:
    demo = Demo(demo_year())
    base = live_server.url
    # the assessment office previews the proposal: no blockers
    office = login(demo.office, DESKTOP)
    office.goto(f"{base}/results/2016/proposal/")
    assert "没有待处理事项" in office.inner_text("#blockers")
    _shot(office, "proposal-desktop")
    # a party group member reviews it and confirms, keeping the proposed recommended pair
    party = login(demo.party, DESKTOP)
    party.goto(f"{base}/results/2016/confirm/")
    checked = party.locator("input[name=recommended]:checked")
    assert checked.count() == 2
    party.fill("input[name=meeting]", "委党组会议(2017-01-20)")
    party.fill("input[name=notice_number]", "常经信党〔2017〕3号")
    _shot(party, "confirm-desktop")
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
    _shot(party, "published-desktop")
    # a department head reads it on a phone: their own trail, nothing wider than the screen
    head = login(demo.head_js, PHONE)
    head.goto(f"{base}/results/2016/")
    assert head.locator("#trail-JS").count() == 1
    assert head.locator("#trail-XXH").count() == 0
    width = head.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width
    _shot(head, "published-phone")
    head.goto(f"{base}/results/2016/versions/1/")
    _shot(head, "version-phone")


def test_the_confirm_page_on_a_phone(login: Any, live_server: Any) -> None:
    demo = Demo(demo_year())
    page = login(demo.party, PHONE)
    page.goto(f"{live_server.url}/results/2016/confirm/")
    assert page.locator("#confirm-form").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width
    _shot(page, "confirm-phone")
