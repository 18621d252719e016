"""Django app configuration."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Django's login signal: the session's clocks start, and the actions record the login
    (and audit a superuser's)."""
    from kaohe.accounts.actions import superuser_login_record
    from kaohe.accounts.middleware import session_start
    from kaohe.accounts.models import LoginEvent
    from kaohe.accounts.security import login_event_record

    if request is not None and hasattr(request, "session"):
        session_start(request, user)
    login_event_record(by=user, event=LoginEvent.LOGIN, request=request)
    superuser_login_record(user=user)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Django's logout signal: the action records it (a session that had expired is logged out
    by the middleware, which recorded why)."""
    from kaohe.accounts.models import LoginEvent
    from kaohe.accounts.security import login_event_record

    if user is not None:
        login_event_record(by=user, event=LoginEvent.LOGOUT, request=request)


def _login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    """A wrong login name or password: recorded with the name as typed."""
    from kaohe.accounts.models import LoginEvent
    from kaohe.accounts.security import login_event_record

    username = str((credentials or {}).get("username") or "")
    login_event_record(by=None, event=LoginEvent.FAILURE, username=username, request=request)


def _locked_out(sender: Any, request: Any, username: Any, ip_address: Any, **kwargs: Any) -> None:
    """Axes locked a login name or an address out."""
    from kaohe.accounts.models import LoginEvent
    from kaohe.accounts.security import login_event_record

    name = str(username or "")
    login_event_record(by=None, event=LoginEvent.LOCKOUT, username=name, request=request)


class AccountsConfig(AppConfig):
    """The accounts app."""

    name = "kaohe.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.core import checks

        from kaohe.accounts.checks import second_factor_roles_known

        checks.register(second_factor_roles_known, "kaohe")

        user_logged_in.connect(_logged_in, dispatch_uid="kaohe_logged_in")
        user_logged_out.connect(_logged_out, dispatch_uid="kaohe_logged_out")
        user_login_failed.connect(_login_failed, dispatch_uid="kaohe_login_failed")
        user_locked_out.connect(_locked_out, dispatch_uid="kaohe_locked_out")
