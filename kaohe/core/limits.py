"""Request bodies larger than the view accepts are refused before a byte of them is read.

Django reads a body only when a view (or the CSRF check) asks for request.POST; before that, the
declared Content-Length is all there is. Forms get REQUEST_MAX_BYTES, the few views that take
files (marked @accepts_uploads) UPLOAD_REQUEST_MAX_BYTES. The reverse proxy's own limit
(nginx client_max_body_size, README) stops larger bodies before they reach a worker at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = TypeVar("View", bound=Callable[..., Any])


def accepts_uploads(view: View) -> View:
    """Mark a view as taking uploaded files (functools.wraps carries the mark to decorators)."""
    view.accepts_uploads = True  # type: ignore[attr-defined]
    return view


def body_limit(view: Callable[..., Any]) -> int:
    """The largest request body the view accepts, in bytes."""
    if getattr(view, "accepts_uploads", False):
        return int(settings.UPLOAD_REQUEST_MAX_BYTES)
    return int(settings.REQUEST_MAX_BYTES)


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body exceeds its view's limit; listed before the
    CSRF middleware, whose check would read the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:  # Django reads such a body as empty
            declared = 0
        limit = body_limit(view)
        if declared <= limit:
            return None
        context = {"limit_mb": max(1, limit // (1024 * 1024))}
        return render(request, "core/too_large.html", context, status=413)
