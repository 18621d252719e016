"""The ledger in Django's admin, read-only: entries, evidence and objections change only through
their actions, which keep the audit trail."""

from __future__ import annotations

from django.contrib import admin

from kaohe.core.admin import ReadOnlyAdmin
from kaohe.ledger.models import Entry, Evidence, Objection


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["ref", "year", "department", "rule_id", "office", "period", "status"]
    list_filter = ["year", "status", "office", "category"]
    search_fields = ["ref", "rule_id", "description", "department__code"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "entry", "objection", "size", "uploaded_by", "uploaded_at"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["entry", "status", "raised_by", "created_at", "resolved_at"]
    list_filter = ["status"]
