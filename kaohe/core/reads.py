"""Reads asked more than once while one page is built, done once (issue 15): a results page
asks for its year's checked published versions three times (the page, the menu, the version
list). Kept only for the request that asked, and only for a GET or HEAD, which writes nothing
the reads could show: a POST, which may write between two reads, reads afresh each time."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")
_reads: ContextVar[dict[Hashable, Any] | None] = ContextVar("kaohe_request_reads", default=None)
SAFE_METHODS = {"GET", "HEAD"}


def once_per_request(key: Hashable, read: Callable[[], T]) -> T:
    """`read()`'s value, once per GET request for each key; outside one (a command, a POST, a
    test calling a selector), `read()` every time. A read that raises is not kept."""
    reads = _reads.get()
    if reads is None:
        return read()
    if key not in reads:
        reads[key] = read()
    return reads[key]  # type: ignore[no-any-return]


def kept_for_request(key: Hashable) -> bool:
    """Whether this GET request has read `key` already (False outside one)."""
    reads = _reads.get()
    return reads is not None and key in reads


def keep_for_request(key: Hashable, value: Any) -> None:
    """Keep `value` as this GET request's read of `key` (read with another; nothing outside a
    request)."""
    reads = _reads.get()
    if reads is not None:
        reads.setdefault(key, value)


def in_request() -> bool:
    """Whether reads are kept here: inside a GET or HEAD request."""
    return _reads.get() is not None


class RequestReadsMiddleware:
    """Opens the reads kept for one GET or HEAD request, and drops them when it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        token = _reads.set({})
        try:
            return self.get_response(request)
        finally:
            _reads.reset(token)
