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
