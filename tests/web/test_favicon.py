"""The site's icon: an SVG among the static files, linked from every page, and /favicon.ico."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_icon_is_a_small_svg_among_the_static_files() -> None:
    path = finders.find("core/favicon.svg")
    assert path is not None
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox")


def test_every_page_links_the_icon(client: Client) -> None:
    html = client.get("/login/").content.decode()
    assert f'<link rel="icon" href="{static("core/favicon.svg")}" type="image/svg+xml">' in html


def test_favicon_ico_redirects_to_the_icon_for_browsers_that_ask_the_root(client: Client) -> None:
    # a browser asks /favicon.ico of a page without the link (the admin's, a download)
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("core/favicon.svg")
