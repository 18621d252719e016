"""The Chinese error pages (issue 10 point 18): 400, 403 (CSRF too), 404, 500, with the site's
header and a way back, also with DEBUG on (`make run`)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from kaohe.assessment import home
from tests.web.conftest import World

pytestmark = pytest.mark.django_db

HEADER = 'class="site-header"'
HOME = 'href="/"'


def page(response: Any) -> str:
    return response.content.decode()


def assert_chinese_page(response: Any, status: int, *words: str) -> str:
    body = page(response)
    assert response.status_code == status
    assert HEADER in body and HOME in body and "回到首页" in body
    for word in words:
        assert word in body
    assert not re.search(r"\b(Forbidden|Not Found|Server Error|Bad Request)\b", body)
    return body


def test_a_missing_page_is_the_chinese_404_with_a_way_back(world: World) -> None:
    client = world.client(world.clerk_zh)
    response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/ledger/2016/entries/")
    body = assert_chinese_page(response, 404, "页面不存在")
    assert 'href="http://testserver/ledger/2016/entries/"' in body and "返回上一页" in body
    # a record the user may not see is not found either, and the menu stays
    other = world.client(world.head_xx).get("/ledger/entries/999999/")
    assert "台账" in assert_chinese_page(other, 404, "页面不存在")


def test_a_foreign_referer_is_not_offered_as_the_way_back(world: World) -> None:
    response = Client().get("/no-such-page/", HTTP_REFERER="https://evil.example/")
    body = assert_chinese_page(response, 404, "登录")
    assert "evil.example" not in body and "返回上一页" not in body


def test_a_refused_action_is_the_chinese_403(world: World) -> None:
    response = world.client(world.clerk_zh).get("/ledger/2016/review/")
    assert_chinese_page(response, 403, "没有权限", "联系考核办")


def test_a_form_with_a_stale_csrf_token_is_the_chinese_403() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "a", "password": "b"})
    assert_chinese_page(response, 403, "页面已过期", "刷新后重新提交")


def test_a_bad_request_is_the_chinese_400() -> None:
    response = Client(HTTP_HOST="evil.example").get("/")
    assert_chinese_page(response, 400, "请求无法识别")


def test_a_server_error_is_the_chinese_500_with_an_error_number(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(user: Any) -> dict[str, Any]:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(home, "_workbench", broken)
    client = world.client(world.clerk_zh)
    client.raise_request_exception = False
    body = assert_chinese_page(client.get("/"), 500, "系统出错了")
    assert re.search(r"错误编号 [0-9a-f]{8}", body)
    assert "database went away" not in body


def test_with_debug_on_a_missing_page_is_still_the_chinese_404(world: World, settings: Any) -> None:
    settings.DEBUG = True
    client = world.client(world.office)
    unknown = client.get("/no-such-page/")
    assert "URLconf" not in page(unknown)
    assert_chinese_page(unknown, 404, "页面不存在")
    assert_chinese_page(client.get("/ledger/entries/999999/"), 404, "页面不存在")
    # the address without its slash still finds its page
    assert client.get("/years")["Location"] == "/years/"
