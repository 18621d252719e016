"""Evaluation rounds and ballots in Django's admin, read-only: ballots are anonymous and final."""

from __future__ import annotations

from django.contrib import admin

from kaohe.ballots.models import Ballot, Round
from kaohe.core.admin import ReadOnlyAdmin


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["year", "kind", "period", "status"]
    list_filter = ["year", "kind", "status"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["id", "round", "group"]
    list_filter = ["round"]
