"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import World, world  # noqa: F401 - the personas, shared with tests/web

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
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (never downloaded: Debian's own)."""
    # Playwright's sync API runs an event loop in this thread; the ORM must still be usable here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Pages:
    """Open pages as a persona on the live server, and take screenshots."""

    def __init__(self, browser: Any, base: str, personas: World) -> None:
        self.browser, self.base, self.world = browser, base, personas
        self.contexts: list[Any] = []

    def login(self, user: Any, *, phone: bool = False) -> Any:
        """A fresh browser context logged in as `user` through the login form."""
        context = self.browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            device_scale_factor=1,
            is_mobile=phone,
            has_touch=phone,
            locale="zh-CN",
        )
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{self.base}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", "test-password-123")
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.base}/")
        return page

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
    """Pages on the live server, around the personas of tests/web (evidence kept in tmp_path)."""
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    helper = Pages(browser, live_server.url, request.getfixturevalue("world"))
    yield helper
    helper.close()
