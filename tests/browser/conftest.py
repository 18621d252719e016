"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every browser test opens its pages through the `pages` fixture, at one of the VIEWPORTS.
Screenshots go to $KAOHE_SHOTS (default /tmp/shots/) and are looked at by hand.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.web.conftest import World, world  # noqa: F401 - the personas, shared with tests/web
from tests.web.factories import PASSWORD

# Playwright's sync API runs an event loop in the test's thread; the ORM must still be usable there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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
# The two screens every page is looked at on: a laptop, and the narrowest phone in common use.
VIEWPORTS = {"desktop": (1280, 900), "phone": (360, 740)}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (never downloaded: Debian's own)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Pages:
    """Open pages on the live server at a viewport, anonymously or as a user; take screenshots."""

    def __init__(self, browser: Any, base: str, request: pytest.FixtureRequest) -> None:
        self.browser, self.base, self.request = browser, base, request
        self.contexts: list[Any] = []

    @property
    def world(self) -> World:
        """The personas of tests/web, made on first use (tests on the demo year do without)."""
        found: World = self.request.getfixturevalue("world")
        return found

    def open(self, viewport: str = "desktop") -> Any:
        """A fresh page in a context of its own, at one of the VIEWPORTS."""
        width, height = VIEWPORTS[viewport]
        phone = viewport == "phone"
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            device_scale_factor=1,
            is_mobile=phone,
            has_touch=phone,
            locale="zh-CN",
        )
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    def login(self, user: Any, viewport: str = "desktop") -> Any:
        """A fresh page on the workbench of `user`, logged in by a session cookie (the login
        form costs two page loads; `login_with_form` goes through it)."""
        client = Client()
        client.force_login(user)
        page = self.open(viewport)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.base}]
        )
        page.goto(f"{self.base}/")
        return page

    def login_with_form(self, user: Any, viewport: str = "desktop") -> Any:
        """A fresh page logged in as `user` through the login form."""
        page = self.open(viewport)
        page.goto(f"{self.base}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url(f"{self.base}/")
        return page

    @staticmethod
    def fits(page: Any) -> bool:
        """Nothing on the page is wider than the screen (tables scroll inside their own box)."""
        width: int = page.evaluate("document.documentElement.scrollWidth")
        return width <= page.viewport_size["width"]

    @staticmethod
    def settled(page: Any) -> None:
        """Wait until htmx has no request in flight and has processed what it swapped in."""
        busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
        page.wait_for_timeout(50)
        page.wait_for_function(f"() => !document.querySelector('{busy}')")

    def shot(self, page: Any, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(
    browser: Any, live_server: Any, settings: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Pages]:
    """Pages on the live server (uploaded files kept in tmp_path)."""
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    helper = Pages(browser, live_server.url, request)
    yield helper
    helper.close()
