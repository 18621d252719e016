"""Evaluation rounds and their anonymous ballots (the voting itself is built on these)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.constants import Kind, Period


class RoundStatus(models.TextChoices):
    """A round is open for voting, then closed; only closed rounds feed results."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Round(models.Model):
    """One evaluation round of a year: a kind held in a period."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=4, choices=Period.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "period"], name="round_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.get_period_display()}"


class Ballot(models.Model):
    """One anonymous ballot: a random id, the voter group, the grades; no time, no code, no user."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="ballots")
    group = models.CharField(_("voter group"), max_length=50, blank=True)
    grades = models.JSONField(_("grades"))

    def __str__(self) -> str:
        return str(self.id)
