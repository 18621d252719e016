"""The login backend: Django's, loading each request's user with its profile, the security
policy's current version and the bell's unread count in one query (every page asks all three)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from kaohe.accounts.models import Notification, SecurityPolicy
from kaohe.accounts.notifications import UNREAD_ATTR
from kaohe.accounts.policy import VERSION_ATTR


class ProfileBackend(ModelBackend):
    """ModelBackend whose `get_user` joins the profile (kaohe.accounts.models.Profile) and
    names the policy's current version (kaohe.accounts.policy.current_policy) and the account's
    unread notifications (kaohe.accounts.notifications.unread_count)."""

    def get_user(self, user_id: Any) -> Any:
        newest = SecurityPolicy.objects.order_by("-id").values("version")[:1]
        users = get_user_model()._default_manager.select_related("kaohe_profile")
        unread = (
            Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("user")
            .annotate(n=Count("id"))
            .values("n")
        )
        users = users.annotate(
            **{
                VERSION_ATTR: Subquery(newest),
                UNREAD_ATTR: Coalesce(Subquery(unread, output_field=IntegerField()), 0),
            }
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
