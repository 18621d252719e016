"""Schemes kept as data, and assessment years with their frozen copy of a scheme."""

from __future__ import annotations

import json
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.constants import DepartmentType
from kaohe.core.memory import Memo
from kaohe.engine import Scheme, parse_scheme
from kaohe.engine import bundle as engine


class SchemeDocument(models.Model):
    """An editable scheme (kaohe-scheme/1 JSON), the built-in one or an edited copy."""

    scheme_id = models.CharField(_("scheme id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    document = models.JSONField(_("document"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["scheme_id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.scheme_id})"


class Year(models.Model):
    """An assessment year; its scheme is a frozen copy, untouched by later edits elsewhere."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    scheme_id = models.CharField(_("scheme id"), max_length=64)
    scheme_document = models.JSONField(_("scheme"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    @cached_property
    def scheme(self) -> Scheme:
        """The year's scheme, parsed by the engine: once per process and document (a page asks
        it of every Year it reads; the engine's checked reader costs ten times the key)."""
        key = json.dumps(self.scheme_document, sort_keys=True, ensure_ascii=False)
        return _schemes.get(key, lambda: parse_scheme(self.scheme_document))


# Canonical JSON text of a scheme document → the Scheme; bounded: a few schemes in use.
_schemes: Memo[Scheme] = Memo(32)


class YearDepartment(models.Model):
    """A department assessed in a year, with its type that year and last year's rank."""

    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="assessed")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="years")
    type = models.CharField(_("type"), max_length=16, choices=DepartmentType.choices)
    previous_rank = models.PositiveIntegerField(_("last year's rank"), null=True, blank=True)

    class Meta:
        ordering = ["department__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "department"], name="year_department_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department}"

    def to_engine(self) -> engine.Department:
        """The assessed department as the engine takes it (load `department` first)."""
        d = self.department
        return engine.Department(d.code, d.name, self.type, d.parent or None)


class SelfAssessment(models.Model):
    """A department's self-assessment form (考核自评表) for a year: a self score and a note per item."""

    year = models.ForeignKey(Year, on_delete=models.PROTECT, related_name="self_assessments")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    # item number (as text) → {"score": decimal string, "note": text}
    lines = models.JSONField(_("items"), default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "department"], name="self_assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department}"


class SelfAssessmentRevision(models.Model):
    """One submission of a self-assessment form, kept as it was; the latest is the current one."""

    form = models.ForeignKey(SelfAssessment, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    # item number (as text) → {"score": decimal string, "note": text}
    lines = models.JSONField(_("items"), default=dict)
    filled_on = models.DateField(_("date filled in"), null=True)  # 填表日期
    head_name = models.CharField(_("head of the department"), max_length=40, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "number"], name="self_assessment_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form} #{self.number}"


class Counter(models.Model):
    """The last number handed out in one of a year's series (entries, adjustments, vetoes).

    Numbers come from this row under a row lock held to the end of the transaction, so they are
    unique under concurrency and without gaps: a transaction that rolls back gives its number back.
    """

    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "series"], name="counter_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.series} {self.last}"


class Step(models.TextChoices):
    """A step of the year that has a deadline (rules.md §8); supervision-system periods have
    their own deadlines (targets.SupervisionPeriod) and are listed beside these."""

    TARGETS = "targets", _("Annual targets submitted")
    TARGETS_APPROVAL = "targets_approval", _("Annual targets approved by the leading group")
    H1_REPORTS = "h1_reports", _("Half-year reports on targets")
    YEAR_REPORTS = "year_reports", _("Year-end reports on targets")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment form")


# The assessment office's own steps; the others are each department's.
OFFICE_STEPS = frozenset({Step.TARGETS_APPROVAL})


class Deadline(models.Model):
    """A step's deadline in a year, set by the assessment office; a step without a row has its
    default (`years.deadlines.default_deadline`)."""

    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="deadlines")
    step = models.CharField(_("step"), max_length=24, choices=Step.choices)
    due = models.DateField(_("deadline"))

    class Meta:
        ordering = ["year", "due", "step"]
        constraints = [
            models.UniqueConstraint(fields=["year", "step"], name="deadline_once_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.step} {self.due}"


class ReminderKind(models.TextChoices):
    """When a reminder is sent: before the deadline or after it."""

    BEFORE = "before", _("Deadline approaching")
    OVERDUE = "overdue", _("Deadline passed")


class ReminderSent(models.Model):
    """A reminder sent to one account for one step's deadline: unique, so a second run of
    `kaohe remind` (or two at once) sends nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=24)  # a Step, or "sup:<period key>"
    due = models.DateField()
    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "year", "step", "due", "kind"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.year} {self.step} {self.due} {self.kind}"
