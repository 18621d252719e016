"""The party group's adjustments and the year's vetoes in Django's admin, read-only."""

from __future__ import annotations

from django.contrib import admin

from kaohe.core.admin import ReadOnlyAdmin
from kaohe.results.models import Adjustment, Veto


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["year", "department", "amount", "reason", "meeting"]
    list_filter = ["year"]


@admin.register(Veto)
class VetoAdmin(ReadOnlyAdmin):
    list_display = ["year", "department", "reason"]
    list_filter = ["year", "reason"]
