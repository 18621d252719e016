"""The party group's adjustments and the year's vetoes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.constants import VetoReason


class Adjustment(models.Model):
    """A signed amount the party group decided (党组研究加减分), with its reason and meeting."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="adjustments")
    ref = models.CharField(max_length=40, blank=True)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=4)
    reason = models.TextField(_("reason"))
    meeting = models.CharField(_("meeting"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.department} {self.amount}"


class Veto(models.Model):
    """A one-vote-veto event (一票否决): the department can receive no honor that year."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="vetoes")
    ref = models.CharField(max_length=40, blank=True)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=32, choices=VetoReason.choices)
    note = models.TextField(_("facts"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.department} {self.get_reason_display()}"
