"""The audit trail: who changed what, when, with the values before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One recorded write. Rows are only ever added (the database refuses anything else,
    kaohe/audit/guards.py) and each is chained to the one before (kaohe/audit/chain.py)."""

    # Position in the chain: 1, 2, 3 … without gaps, in the order rows were appended.
    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # A user with audit rows cannot be deleted (PROTECT: deleting would have to change the rows);
    # accounts are disabled instead. The login name is kept as text too, so a row reads alone.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64)
    year = models.PositiveIntegerField(null=True, blank=True)
    department_code = models.CharField(max_length=20, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class AuditChainHead(models.Model):
    """The chain's last row (one row, id 1): locked by every append, so appends take turns."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.sequence} {self.hash[:16]}"
