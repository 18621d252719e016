"""Django's admin, for superusers alone; models whose history matters are shown read-only."""

from __future__ import annotations

import types
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _superusers_only(site: admin.AdminSite, request: HttpRequest) -> bool:
    """Only an active superuser opens the admin; staff status alone is not enough."""
    user = request.user
    return bool(user.is_active and user.is_superuser)


# The project keeps Django's default site (kaohe/urls.py mounts admin.site); its permission check
# is replaced on that instance so that every app's registrations stay where Django looks for them.
admin.site.has_permission = types.MethodType(_superusers_only, admin.site)  # type: ignore[method-assign]
admin.site.site_header = _("kaohe administration")
admin.site.site_title = _("kaohe administration")


class ReadOnly:
    """Shows rows without letting anyone add, change or delete them: writes go through actions,
    which keep the audit trail."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """A read-only model page (every domain model: kaohe's data is written by its actions)."""


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    """Rows shown under a read-only parent, themselves read-only."""
