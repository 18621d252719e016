"""Roles in Django's admin (superusers only): who is 考核办, a clerk of which office, whose head.

Granting and revoking go through kaohe/accounts/actions.py, so that each writes its audit row;
a role is not edited in place (revoke it and grant the new one).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from kaohe.accounts.actions import role_grant, role_problems, role_revoke
from kaohe.accounts.models import Role


class RoleForm(forms.ModelForm):
    """A new role, checked as role_grant checks it (so that saving it cannot fail)."""

    class Meta:
        model = Role
        fields = ["user", "kind", "office", "department"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems = role_problems(
            data.get("kind", ""), data.get("office", ""), data.get("department")
        )
        for field, messages in problems.items():
            for message in messages:
                self.add_error(field, message)
        return data


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Roles are granted and revoked here (or with `kaohe roles`), each audited."""

    list_display = ["user", "kind", "office", "department"]
    list_filter = ["kind", "office"]
    search_fields = ["user__username", "user__first_name", "department__code"]
    autocomplete_fields = ["department"]
    form = RoleForm

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: Role, form: Any, change: bool) -> None:
        granted = role_grant(
            by=request.user,
            user=obj.user,
            kind=obj.kind,
            office=obj.office,
            department=obj.department,
        )
        obj.pk = granted.pk

    def delete_model(self, request: Any, obj: Role) -> None:
        role_revoke(by=request.user, role=obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for role in queryset:
            role_revoke(by=request.user, role=role)
