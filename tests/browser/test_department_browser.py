"""The department's page and the overview in a real browser, on a laptop and on a phone.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against pytest-django's live
server, on the realistic demo year. Screenshots go to /tmp/shots/ and are looked at by hand.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kaohe.assessment.bundle_io import year_import
from kaohe.demo import demo_bundle_document
from kaohe.engine import parse_bundle
from kaohe.engine.numbers import fmt2
from kaohe.org.models import Department
from kaohe.results.bundle import year_results
from kaohe.years.models import Year
from tests.web.factories import PASSWORD, RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in the test's thread; Django must allow the ORM.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM}")
    SHOTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo(settings: Any) -> dict[str, Any]:
    """The demo year 2016, the assessment office, and the head of 产业发展处 (CY)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    year_import(by=None, bundle=parse_bundle(demo_bundle_document()))
    cy = Department.objects.get(code="CY")
    return {
        "year": Year.objects.get(year=2016),
        "office": RoleFactory(kind="assessment_office").user,
        "head": RoleFactory(kind="department_head", department=cy).user,
    }


def logged_in(browser: Any, live_server: Any, user: Any, screen: str) -> Any:
    phone = screen == "phone"
    context = browser.new_context(
        viewport=SCREENS[screen],
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
        locale="zh-CN",
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def fits_the_screen(page: Any) -> bool:
    """Nothing but the overview's own scrolling table is wider than the screen."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= page.viewport_size["width"]


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_department_page_explains_its_numbers(
    browser: Any, live_server: Any, demo: dict[str, Any], screen: str
) -> None:
    result = year_results(demo["year"]).get("CY")
    page = logged_in(browser, live_server, demo["head"], screen)
    # the head finds the department's page from the workbench
    page.click("#wb-department a")
    page.wait_for_selector("#summary")
    assert page.inner_text("#summary [data-col=total]") == fmt2(result.total)
    assert f"第 {result.rank} 名" in page.inner_text("#summary")
    # 作风建设 of CY is cut by the cap: the trail says so in words
    conduct = page.inner_text("#category-conduct")
    assert "(以本类分值为限,扣至 0)" in conduct
    assert page.is_visible("#kind-democratic") and page.is_visible("#objections")
    assert fits_the_screen(page)
    page.screenshot(path=str(SHOTS / f"department-{screen}.png"), full_page=True)
    page.context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_overview_lists_every_department_and_links_to_each(
    browser: Any, live_server: Any, demo: dict[str, Any], screen: str
) -> None:
    results = year_results(demo["year"])
    page = logged_in(browser, live_server, demo["office"], screen)
    page.goto(f"{live_server.url}/years/2016/overview/")
    rows = page.locator("table.overview tbody tr")
    assert rows.count() == len(results.departments)
    first = results.departments[0]
    assert page.inner_text(f"tr[data-code='{first.code}'] [data-col=total]") == fmt2(first.total)
    assert fits_the_screen(page)
    page.screenshot(path=str(SHOTS / f"overview-{screen}.png"), full_page=True)
    # the name links to the department's page
    page.click(f"tr[data-code='{first.code}'] a")
    page.wait_for_selector("#summary")
    assert page.inner_text("#summary [data-col=total]") == fmt2(first.total)
    page.context.close()
