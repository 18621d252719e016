"""Departments and staff in Django's admin (superusers only)."""

from __future__ import annotations

from django.contrib import admin

from kaohe.org.models import Department, Person


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """A department and its staff."""

    list_display = ["code", "name", "type", "parent", "active_from", "active_to", "head"]
    list_filter = ["type"]
    search_fields = ["code", "name"]
    inlines = [PersonInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """A member of staff."""

    list_display = ["name", "department", "active"]
    list_filter = ["active", "department"]
    search_fields = ["name"]
