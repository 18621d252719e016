"""Departments and staff in Django's admin (superusers only), to read: they change on their pages.

The office's pages (years: departments and staff) write through kaohe/org/actions.py with an
audit row each; an admin form would write behind them.
"""

from __future__ import annotations

from django.contrib import admin

from kaohe.core.admin import ReadOnlyAdmin, ReadOnlyInline
from kaohe.org.models import Department, Person


class PersonInline(ReadOnlyInline):
    """Shown on the department's page, read-only like it."""

    model = Person
    extra = 0


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    """A department and its staff."""

    list_display = ["code", "name", "type", "parent", "active_from", "active_to"]
    list_filter = ["type"]
    search_fields = ["code", "name"]
    inlines = [PersonInline]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """A member of staff."""

    list_display = ["name", "department", "active"]
    list_filter = ["active", "department"]
    search_fields = ["name"]
