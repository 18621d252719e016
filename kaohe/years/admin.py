"""Years and schemes in Django's admin, read-only: a year's scheme is frozen, and the library is
edited on its own page, where the engine checks every change."""

from __future__ import annotations

from django.contrib import admin

from kaohe.core.admin import ReadOnlyAdmin
from kaohe.years.models import SchemeDocument, Year, YearDepartment


@admin.register(SchemeDocument)
class SchemeDocumentAdmin(ReadOnlyAdmin):
    list_display = ["scheme_id", "name", "created_at", "created_by"]


@admin.register(Year)
class YearAdmin(ReadOnlyAdmin):
    list_display = ["year", "scheme_id", "created_at", "created_by"]


@admin.register(YearDepartment)
class YearDepartmentAdmin(ReadOnlyAdmin):
    list_display = ["year", "department", "type", "previous_rank"]
    list_filter = ["year", "type"]
