"""The login backend: Django's, loading each request's user with its profile in one query (the
must-change middleware asks the profile on every page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfileBackend(ModelBackend):
    """ModelBackend whose `get_user` joins the profile (kaohe.accounts.models.Profile)."""

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("kaohe_profile")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
