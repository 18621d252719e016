"""Departments and staff in Django's admin (superusers only), to read: they change on their pages.

The office's pages (years: departments and staff) write through kaohe/org/actions.py with an
audit row each; an admin form would write behind them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from kaohe.org.models import Department, Person


class ReadOnly:
    """Lists and shows the rows; adds, changes and deletes nothing."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class PersonInline(ReadOnly, admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Department)
class DepartmentAdmin(ReadOnly, admin.ModelAdmin):
    """A department and its staff."""

    list_display = ["code", "name", "type", "parent", "active_from", "active_to"]
    list_filter = ["type"]
    search_fields = ["code", "name"]
    inlines = [PersonInline]


@admin.register(Person)
class PersonAdmin(ReadOnly, admin.ModelAdmin):
    """A member of staff."""

    list_display = ["name", "department", "active"]
    list_filter = ["active", "department"]
    search_fields = ["name"]
