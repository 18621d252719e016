"""Roles in Django's admin (superusers only): who is 考核办, a clerk of which office, whose head.

Read-only, as every domain model in the admin: the administrator grants and revokes roles with
`kaohe roles` (kaohe/accounts/actions.py, each audited) until the account pages exist.
"""

from __future__ import annotations

from django.contrib import admin

from kaohe.accounts.models import Role
from kaohe.core.admin import ReadOnlyAdmin


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    """Who holds which role; granted and revoked with `kaohe roles`, each audited."""

    list_display = ["user", "kind", "office", "department"]
    list_filter = ["kind", "office"]
    search_fields = ["user__username", "user__first_name", "department__code"]
