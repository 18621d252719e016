"""The audit trail in Django's admin, read-only and without actions: rows are only ever added
(the database refuses anything else, kaohe/audit/guards.py)."""

from __future__ import annotations

from django.contrib import admin

from kaohe.audit.models import AuditEvent
from kaohe.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "sequence",
        "at",
        "actor_name",
        "action",
        "target_type",
        "target_id",
        "year",
        "department_code",
    ]
    list_filter = ["action", "target_type", "year"]
    search_fields = ["target_id", "department_code"]
