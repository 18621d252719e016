"""The home page is served in Chinese."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_home_page_is_chinese_with_a_login_link(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录" in body
    assert "考核" in body


def test_the_htmx_file_base_html_loads_is_shipped() -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("django_htmx/htmx-2.min.js")


@pytest.mark.django_db
def test_pages_are_chinese_even_for_an_english_browser(client: Client) -> None:
    body = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in body
    assert "Log in" not in body


def test_every_role_finds_the_published_results_in_the_menu(world) -> None:  # type: ignore[no-untyped-def]
    for user in (world.head_js, world.liaison_js, world.clerk_zh, world.office, world.party):
        body = world.client(user).get("/").content.decode()
        assert "/results/2016/" in body, user


def test_the_office_home_counts_pending_work_of_every_year(world) -> None:  # type: ignore[no-untyped-def]
    from tests.web.factories import add_entry, make_year

    add_entry(world.year, world.js, "1.report_missed", status="submitted")
    make_year(2017, [world.js, world.xx, world.bg])
    body = world.client(world.office).get("/").content.decode()
    # the 2016 entry still waits once 2017 exists: counted, and linked to 2016's queue
    assert '<span class="n" data-count="awaiting-review">1</span>' in body
    pending = body[body.index('id="wb-pending"') :]
    assert 'data-year="2016"' in pending and "/ledger/2016/review/" in pending
    assert "1 条记录待审核" in pending


def test_a_clerks_home_lists_drafts_of_every_year(world) -> None:  # type: ignore[no-untyped-def]
    from tests.web.factories import add_entry, make_year

    draft = add_entry(world.year, world.js, "1.report_missed", status="draft", office="ZH")
    make_year(2017, [world.js])
    body = world.client(world.clerk_zh).get("/").content.decode()
    assert draft.ref in body


def test_every_page_has_a_year_switcher_for_every_role(world) -> None:  # type: ignore[no-untyped-def]
    from tests.web.factories import make_year

    make_year(2017, [world.js, world.xx, world.bg])
    for user in (world.head_js, world.liaison_js, world.clerk_zh, world.office, world.party):
        client = world.client(user)
        home = client.get("/").content.decode()
        switch = home[home.index('id="year-switch"') :].split("</span>", 1)[0]
        # latest first, the latest current on a page of no year
        assert switch.index(">2017<") < switch.index(">2016<"), user
        assert 'aria-current="page" class="current">2017<' in switch, user
        # on a year's page the switcher leads to the same page of the other year, and the
        # menu stays in the page's year
        page = client.get("/ledger/2016/entries/").content.decode()
        switch = page[page.index('id="year-switch"') :].split("</span>", 1)[0]
        assert 'href="/ledger/2017/entries/"' in switch, user
        assert 'aria-current="page" class="current">2016<' in switch, user
        assert "/results/2016/" in page and "/results/2017/" not in page.split("</nav>")[1], user
