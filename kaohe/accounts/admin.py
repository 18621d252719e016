"""Roles in Django's admin (superusers only): who is 考核办, a clerk of which office, whose head.

Read-only, as every domain model in the admin: the security administrator grants and revokes
roles on the account pages, or the server's administrator with `kaohe roles` (each audited).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from kaohe.accounts.models import Profile, Role
from kaohe.core.admin import ReadOnlyAdmin


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    """Who holds which role; granted and revoked with `kaohe roles`, each audited."""

    list_display = ["user", "kind", "office", "department"]
    list_filter = ["kind", "office"]
    search_fields = ["user__username", "user__first_name", "department__code"]


# Accounts change on the account pages (kaohe/accounts/views.py), each change audited: Django's
# admin shows users read-only and groups (which kaohe does not use) not at all.
# (auth's admin imported first, so that what it registers is there to be taken away)
assert auth_admin.UserAdmin is not None
admin.site.unregister(Group)
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAdmin(ReadOnlyAdmin):
    """Accounts, shown only: created, disabled and reset on the account pages."""

    list_display = ["username", "first_name", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["username", "first_name"]
    exclude = ["password"]


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    """Whether an account must change its password, and when it last did."""

    list_display = ["user", "must_change_password", "password_changed_at"]
