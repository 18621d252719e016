"""Error pages in Chinese, with the site's header and a way back: 400, 403 (CSRF too), 404, 500.

Django calls the handlers named in kaohe/urls.py when DEBUG is off. With DEBUG on (`make run`)
Django shows its technical 404 page, in English and listing every URL; ErrorPagesMiddleware
shows the Chinese page there too. A 500 in DEBUG keeps Django's traceback page, which is what a
developer needs; the traceback goes to the log in every mode (kaohe/logs.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TEMPLATE = "core/error.html"
PAGES = {
    400: (
        gettext_lazy("The request could not be understood"),
        gettext_lazy(
            "The page received something it cannot read. Go back, reload the page and try again."
        ),
    ),
    403: (
        gettext_lazy("You may not do this"),
        gettext_lazy(
            "Your role does not allow this page or action. If your work needs it, ask the "
            "assessment office; roles are granted by the system administrator."
        ),
    ),
    404: (
        gettext_lazy("Page not found"),
        gettext_lazy(
            "This address leads nowhere, or to a record you may not see. Check the address, or "
            "start again from the home page."
        ),
    ),
    500: (
        gettext_lazy("Something went wrong on our side"),
        gettext_lazy(
            "The error has been recorded for the system administrator. If you were saving "
            "something, look whether it was saved before you try again."
        ),
    ),
}
CSRF_TEXT = gettext_lazy(
    "The form was sent from a page that has expired (or cookies are switched off). Go back, "
    "reload the page and send the form again."
)


def _back(request: HttpRequest) -> str:
    """The page the user came from, when it is one of ours (the Referer header)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host, here = request.get_host(), request.build_absolute_uri()
    except DisallowedHost:  # the 400 for a host we do not serve: no way back to it
        return ""
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    )
    return referer if safe and referer != here else ""


def error_page(request: HttpRequest, status: int, text: Any = None) -> HttpResponse:
    """The Chinese page for a status, in the site's layout, with the way back."""
    title, default_text = PAGES[status]
    context = {
        "status": status,
        "title": title,
        "text": text or default_text,
        "back": _back(request),
    }
    if not hasattr(request, "user"):  # refused before the session was read (a bad host)
        return HttpResponse(render_to_string(TEMPLATE, context), status=status)
    context["anonymous"] = not request.user.is_authenticated
    return render(request, TEMPLATE, context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400."""
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403."""
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404."""
    return error_page(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form refused for its missing or stale token."""
    return error_page(request, 403, CSRF_TEXT)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: rendered without the request's context (its database may be what failed).

    The error number is shown on the page and written into the log line (kaohe/logs.py).
    """
    error_id = secrets.token_hex(4)
    request.kaohe_error_id = error_id  # type: ignore[attr-defined]
    title, text = PAGES[500]
    context = {"status": 500, "title": title, "text": text, "error_id": error_id}
    try:
        return HttpResponse(render_to_string(TEMPLATE, context), status=500)
    except Exception:  # the layout itself failed (templates, static manifest): plain words
        body = _("Something went wrong on our side. Error number: %(id)s") % {"id": error_id}
        return HttpResponse(body, content_type="text/plain; charset=utf-8", status=500)


class ErrorPagesMiddleware:
    """With DEBUG on, the Chinese 404 page instead of Django's technical one (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # An address that matched no URL: Django's technical page in DEBUG.
        unmatched = getattr(request, "resolver_match", None) is None
        if settings.DEBUG and response.status_code == 404 and unmatched:
            return page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's Http404 in DEBUG: the Chinese page (Django logs the 404 all the same)."""
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
