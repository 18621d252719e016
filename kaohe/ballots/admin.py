"""Evaluation rounds and ballots in Django's admin, read-only: ballots are anonymous and final."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kaohe.ballots.models import Ballot, Round, RoundStatus
from kaohe.core.admin import ReadOnlyAdmin


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["year", "kind", "period", "status"]
    list_filter = ["year", "kind", "status"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["id", "round", "group"]
    list_filter = ["round"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Ballot]:
        """Only closed rounds: ballots of an open round would be partial results."""
        return super().get_queryset(request).filter(round__status=RoundStatus.CLOSED)
