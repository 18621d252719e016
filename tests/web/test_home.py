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
