"""Sends an account whose password must change to the change page, whatever page it asks for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from kaohe.accounts.passwords import password_change_due

# What an account that must change its password may still open.
ALLOWED = {
    "accounts:password_change",
    "accounts:password_change_done",
    "logout",
    "login",
    "favicon",
}


class PasswordChangeRequiredMiddleware:
    """An initial, reset or expired password: every page leads to the change page first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED:
            return None
        # Static files are served before the URLs (WhiteNoise, or runserver in development).
        if password_change_due(user):
            return redirect("accounts:password_change")
        return None
