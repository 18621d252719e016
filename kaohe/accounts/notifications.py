"""Reads of an account's notifications: the bell's unread count (one query) and the list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kaohe.accounts.models import Notification


def unread_count(user: Any) -> int:
    """How many of the account's notifications are unread (one query, for every page's bell)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user: Any) -> QuerySet[Notification]:
    """The account's notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")
