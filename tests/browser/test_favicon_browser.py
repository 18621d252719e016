"""The site's icon in a real browser: the page's icon loads, /favicon.ico leads to it, and no
request of the login page fails. Screenshots go to $KAOHE_SHOTS (default /tmp/shots/)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_icon_loads_and_nothing_on_the_page_fails(pages: Pages) -> None:
    page = pages.open()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
    page.goto(f"{pages.base}/login/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href and href.endswith(".svg")
    loaded: Any = page.goto(f"{pages.base}/favicon.ico")
    assert loaded.status == 200 and loaded.url.endswith(href)
    assert loaded.header_value("content-type").startswith("image/svg+xml")
    page.goto(f"{pages.base}/login/")  # the icon as large as the page and as a tab shows it
    page.set_content(f'<img src="{href}" width="128"> <img src="{href}" width="16">')
    pages.shot(page, "favicon")
    assert errors == []
