"""The login backend: Django's, loading each request's user with its profile and the security
policy's current version in one query (the middleware asks both on every page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Subquery

from kaohe.accounts.models import SecurityPolicy
from kaohe.accounts.policy import VERSION_ATTR


class ProfileBackend(ModelBackend):
    """ModelBackend whose `get_user` joins the profile (kaohe.accounts.models.Profile) and
    names the policy's current version (kaohe.accounts.policy.current_policy)."""

    def get_user(self, user_id: Any) -> Any:
        newest = SecurityPolicy.objects.order_by("-id").values("version")[:1]
        users = get_user_model()._default_manager.select_related("kaohe_profile")
        users = users.annotate(**{VERSION_ATTR: Subquery(newest)})
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
