"""Reads of an account's notifications: the bell's unread count (one query) and the list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kaohe.accounts.models import Notification

# The request's user comes with its unread count (kaohe.accounts.backends): no query of its own.
UNREAD_ATTR = "_kaohe_unread"


def unread_count(user: Any) -> int:
    """How many of the account's notifications are unread (for every page's bell): as the
    request's user was loaded with it, else one query."""
    loaded = getattr(user, UNREAD_ATTR, None)
    if isinstance(loaded, int):
        return loaded
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user: Any) -> QuerySet[Notification]:
    """The account's notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")
