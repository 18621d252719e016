"""What every page of a logged-in account passes first: the session's limits (idle and absolute),
the second factor, and a password that must change."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from kaohe.access import accounts as account_access
from kaohe.accounts.passwords import password_change_due, profile_of
from kaohe.accounts.policy import current_policy
from kaohe.accounts.security import SESSION_EPOCH, has_confirmed_device, session_expiry_record

# What an account that must change its password may still open.
ALLOWED = {
    "accounts:password_change",
    "accounts:password_change_done",
    "logout",
    "login",
    "favicon",
    # The second factor comes first (SecondFactorMiddleware): its pages open before the change.
    "accounts:otp_verify",
    "accounts:otp_enrol",
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


# Session keys: when the account logged in and when it last asked for a page (seconds).
LOGIN_AT = "kaohe_login_at"
SEEN_AT = "kaohe_seen_at"
SEEN_GRANULARITY = 60  # seconds: the idle limit is counted in minutes
# Whether the account had a confirmed second factor when it logged in (asked once, not per page).
HAS_DEVICE = "kaohe_has_device"
# The account's session epoch at the login (Profile.session_epoch; kaohe.accounts.security).
EPOCH = SESSION_EPOCH


def session_epoch(user: Any) -> int:
    """The account's session epoch: raised when its second factor is enrolled or reset."""
    profile = profile_of(user)
    return profile.session_epoch if profile is not None else 0


def session_start(request: HttpRequest, user: Any) -> None:
    """A new login: its session's clocks start now, and whether it passes a second factor is
    noted (called from the login signal)."""
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session[HAS_DEVICE] = has_confirmed_device(user)
    request.session[EPOCH] = session_epoch(user)
    # The cookie lasts as long as the policy's lifetime (the middleware ends the session then).
    request.session.set_expiry(current_policy(user).session_max_hours * 3600)


def session_expiry(request: HttpRequest) -> str:
    """Why the logged-in session has ended ("idle", "lifetime", "credentials": its second factor
    was enrolled or reset since the login), or "" while it lasts."""
    now = int(time.time())
    login_at = request.session.get(LOGIN_AT)
    seen_at = request.session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return "lifetime"  # a session from before the limits: start afresh
    if request.session.get(EPOCH, 0) != session_epoch(request.user):
        return "credentials"
    policy = current_policy(request.user)
    if now - login_at >= policy.session_max_hours * 3600:
        return "lifetime"
    if now - seen_at >= policy.session_idle_minutes * 60:
        return "idle"
    return ""


class SessionLimitsMiddleware:
    """Logs out a session idle for too long or older than its lifetime, with a message on the
    login page; otherwise notes the request as the session's last activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        reason = session_expiry(request)
        if not reason:
            now = int(time.time())
            # Noted once a minute, not on every request: the session is saved only then.
            if now - request.session[SEEN_AT] >= SEEN_GRANULARITY:
                request.session[SEEN_AT] = now
            return self.get_response(request)
        policy = current_policy(user)
        session_expiry_record(by=user, request=request, reason=reason)
        logout(request)
        if reason == "idle":
            text = _(
                "You were logged out after %(n)s minutes without activity. Please log in again."
            )
            messages.info(request, text % {"n": policy.session_idle_minutes})
        elif reason == "credentials":
            text = _(
                "The account's second factor changed since you logged in. Please log in again."
            )
            messages.info(request, text)
        else:
            text = _("Your session ended %(n)s hours after you logged in. Please log in again.")
            messages.info(request, text % {"n": policy.session_max_hours})
        return redirect_to_login(request.get_full_path())


# What an account that has not passed its second factor may still open.
SECOND_FACTOR_ALLOWED = {
    "accounts:otp_verify",
    "accounts:otp_enrol",
    "logout",
    "login",
    "favicon",
}


class SecondFactorMiddleware:
    """An account with a confirmed device passes it before any page; one that must use a
    second factor and has none enrols first (kaohe/access/accounts.py must_use_second_factor)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_ALLOWED:
            return None
        if request.session.get(HAS_DEVICE, False):
            return redirect("accounts:otp_verify")
        if account_access.must_use_second_factor(user):
            return redirect("accounts:otp_enrol")
        return None
