"""kaohe.core.reads: a read asked twice while one GET page is built is done once; a POST, a
command or a read that fails reads afresh every time."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from kaohe.core.reads import RequestReadsMiddleware, once_per_request


def counting() -> tuple[list[int], Any]:
    calls: list[int] = []

    def read() -> int:
        calls.append(1)
        return len(calls)

    return calls, read


def serve(method: str, view: Any) -> HttpResponse:
    request = getattr(RequestFactory(), method)("/")
    return RequestReadsMiddleware(view)(request)


def test_a_get_reads_once_per_key() -> None:
    calls, read = counting()

    def view(request: HttpRequest) -> HttpResponse:
        first, again = once_per_request("a", read), once_per_request("a", read)
        other = once_per_request("b", read)
        return HttpResponse(f"{first} {again} {other}")

    assert serve("get", view).content == b"1 1 2"
    assert serve("get", view).content == b"3 3 4"  # the next request reads afresh
    assert len(calls) == 4


def test_a_post_and_a_command_read_every_time() -> None:
    calls, read = counting()

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f"{once_per_request('a', read)} {once_per_request('a', read)}")

    assert serve("post", view).content == b"1 2"
    assert once_per_request("a", read) == 3  # outside any request
    assert once_per_request("a", read) == 4


def test_a_read_that_fails_is_not_kept() -> None:
    attempts: list[int] = []

    def failing() -> int:
        attempts.append(1)
        raise ValueError("altered")

    def view(request: HttpRequest) -> HttpResponse:
        for _ in range(2):
            with pytest.raises(ValueError):
                once_per_request("a", failing)
        return HttpResponse("ok")

    assert serve("get", view).content == b"ok"
    assert len(attempts) == 2
