"""Roles in Django's admin (superusers only): who is 考核办, a clerk of which office, whose head."""

from __future__ import annotations

from django.contrib import admin

from kaohe.accounts.models import Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Roles are edited here; every other write has its page."""

    list_display = ["user", "kind", "office", "department"]
    list_filter = ["kind", "office"]
    search_fields = ["user__username", "user__first_name", "department__code"]
    autocomplete_fields = ["department"]
