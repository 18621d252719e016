"""The ledger: entries of deductions and bonuses, their evidence, and departments' objections."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.constants import Period


class EntryStatus(models.TextChoices):
    """draft → submitted → confirmed, or returned with a reason; voided keeps the entry."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned")
    VOIDED = "voided", _("Voided")


class DecisionMethod(models.TextChoices):
    """How the assessment office decided a range amount (rules.md §3)."""

    COLLECTIVE = "collective", _("Collective deliberation")
    BALLOT = "ballot", _("Secret ballot")


class Entry(models.Model):
    """A deduction or bonus recorded by a responsible office against a department."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="entries")
    ref = models.CharField(_("reference"), max_length=40)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="entries"
    )
    rule_id = models.CharField(_("rule"), max_length=64)
    item = models.PositiveSmallIntegerField(_("item"))
    category = models.CharField(_("category"), max_length=32)
    office = models.CharField(_("recording office"), max_length=8)
    period = models.CharField(_("period"), max_length=4, choices=Period.choices)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    amount = models.DecimalField(
        _("decided amount per case"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    actual = models.PositiveIntegerField(_("actual count submitted"), null=True, blank=True)
    modifier = models.CharField(_("modifier"), max_length=32, blank=True)
    same_work = models.CharField(_("same-work key"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    persons = models.ManyToManyField("org.Person", blank=True, related_name="entries")
    status = models.CharField(
        _("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    status_reason = models.TextField(_("reason"), blank=True)
    decision_method = models.CharField(
        _("decided by"), max_length=16, choices=DecisionMethod.choices, blank=True
    )
    decision_meeting = models.CharField(_("meeting"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "ref"], name="entry_ref_unique")]
        indexes = [
            models.Index(fields=["year", "status"]),
            models.Index(fields=["year", "department"]),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.rule_id}"


def evidence_path(instance: Evidence, filename: str) -> str:
    """Stored under an unguessable name; the original name is kept in the row."""
    return f"evidence/{instance.id.hex[:2]}/{instance.id.hex}"


class Evidence(models.Model):
    """A file attached to an entry or an objection; served only to those who may see it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    objection = models.ForeignKey(
        "Objection", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ObjectionStatus(models.TextChoices):
    """An objection is open until the assessment office upholds or rejects it."""

    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class Objection(models.Model):
    """A department's objection (异议) to an entry against it."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="objections")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.entry} {self.get_status_display()}"
