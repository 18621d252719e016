"""Annual targets (年度考核目标), their versions and reviews, half-year and supervision-system
reports, and the ledger entries proposed from what is missing (rules.md §8, seed §三.1, §五.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaohe.core.models import StoredFile


class TargetSource(models.TextChoices):
    """Where a target comes from (seed §三.1)."""

    CITY_PROJECT = "city_project", _("City key project of the year")
    MODERNISATION = "modernisation", _("Modernisation indicator")
    GOVERNMENT_REPORT = "government_report", _("Government work report")
    TASK_BOOK = "task_book", _("Annual target task book")
    DUTIES = "duties", _("Department duties")
    COMMISSION_WORK = "commission_work", _("Key work of the commission")


class TargetStatus(models.TextChoices):
    """Where a target (or its revision) is in the approvals."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting the supervising leader")
    RETURNED = "returned", _("Returned by the supervising leader")
    REVIEWED = "reviewed", _("Passed the first review")
    COMPILED = "compiled", _("Compiled by the assessment office")
    APPROVED = "approved", _("Approved by the leading group")


class ReviewStep(models.TextChoices):
    """A step of the approvals, as the history records it."""

    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Passed by the supervising leader")
    RETURN = "return", _("Returned by the supervising leader")
    COMPILE = "compile", _("Compiled")
    LEADING_GROUP = "leading_group", _("Approved by the leading group")


class ReportStatus(models.TextChoices):
    """How far a target is, as its report says."""

    DONE = "done", _("Completed")
    ON_SCHEDULE = "on_schedule", _("On schedule")
    BEHIND = "behind", _("Behind schedule")
    NOT_STARTED = "not_started", _("Not started")


class ReportPeriod(models.TextChoices):
    """The reports a target has: at the half-year and at year end."""

    H1 = "H1", _("Half-year report")
    YEAR = "year", _("Year-end report")


class ProposalState(models.TextChoices):
    """What the clerk did with a proposed entry."""

    PROPOSED = "proposed", _("Proposed")
    SUBMITTED = "submitted", _("Confirmed and submitted")
    DISCARDED = "discarded", _("Discarded")


class Target(models.Model):
    """A department's annual target; its fields are the version being drafted or reviewed, the
    approved ones are kept as TargetVersion rows."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="targets")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="targets"
    )
    number = models.PositiveIntegerField(_("number"))
    content = models.TextField(_("target"))
    measure = models.TextField(_("measure of completion"))
    due = models.DateField(_("due by"))
    source = models.CharField(_("source"), max_length=32, choices=TargetSource.choices)
    in_supervision = models.BooleanField(_("in the supervision system"), default=False)
    responsible = models.CharField(_("responsible person"), max_length=50)
    status = models.CharField(
        _("status"), max_length=16, choices=TargetStatus.choices, default=TargetStatus.DRAFT
    )
    # 0 for the original; a revision of an approved target counts up and carries its reason.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    reason = models.TextField(_("reason for the revision"), blank=True)
    comment = models.TextField(_("review comments"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["department__code", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department", "number"], name="target_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department.code}-{self.number}"

    @property
    def label(self) -> str:
        """The target as lists name it: 技术进步处 目标3."""
        return gettext("%(department)s target %(number)s") % {
            "department": self.department.name,
            "number": self.number,
        }

    def approved_once(self) -> bool:
        """Whether a version of it was ever approved (then reports are due on it)."""
        return self.versions.exists()


class TargetVersion(models.Model):
    """An approved version of a target, kept as it was approved; the latest is in force."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="versions")
    revision = models.PositiveIntegerField()
    content = models.TextField(_("target"))
    measure = models.TextField(_("measure of completion"))
    due = models.DateField(_("due by"))
    source = models.CharField(_("source"), max_length=32, choices=TargetSource.choices)
    in_supervision = models.BooleanField(_("in the supervision system"), default=False)
    responsible = models.CharField(_("responsible person"), max_length=50)
    reason = models.TextField(_("reason for the revision"), blank=True)
    meeting = models.CharField(_("meeting"), max_length=200)
    meeting_date = models.DateField(_("date of the meeting"))
    document_no = models.CharField(_("document number"), max_length=100)
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-revision"]
        constraints = [
            models.UniqueConstraint(fields=["target", "revision"], name="target_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.target} v{self.revision}"


class TargetReview(models.Model):
    """One step of a target's approvals: who, when, which step and with what comments."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="reviews")
    revision = models.PositiveIntegerField()
    step = models.CharField(_("step"), max_length=16, choices=ReviewStep.choices)
    comment = models.TextField(_("comments"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.target} {self.step}"


class HalfYearReport(models.Model):
    """A department's report on an approved target, at the half-year or at year end."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="reports")
    period = models.CharField(_("report"), max_length=4, choices=ReportPeriod.choices)
    status = models.CharField(_("progress"), max_length=16, choices=ReportStatus.choices)
    done = models.TextField(_("what was done"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["target", "period"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="report_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.period}"


class ReportEvidence(StoredFile):
    """A file attached to a half-year or year-end report."""

    DIRECTORY = "evidence"

    report = models.ForeignKey(HalfYearReport, on_delete=models.PROTECT, related_name="evidence")


class SupervisionPeriod(models.Model):
    """A reporting period of the supervision system (督查系统), with its deadline."""

    year = models.ForeignKey("years.Year", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("reporting period"), max_length=16)  # 2016-03
    deadline = models.DateField(_("deadline"))

    class Meta:
        ordering = ["year", "deadline", "key"]
        constraints = [
            models.UniqueConstraint(fields=["year", "key"], name="supervision_period_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.key}"


class SupervisionReport(models.Model):
    """An online report made in the supervision system for a target and a period."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="online_reports")
    period = models.ForeignKey(SupervisionPeriod, on_delete=models.PROTECT, related_name="reports")
    reported_on = models.DateField(_("reported on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="supervision_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.period.key}"


class Proposal(models.Model):
    """A ledger entry proposed from a missing report or an unmet target; `key` makes it once
    (H1, year, sup:2016-03, unmet)."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="proposals")
    key = models.CharField(max_length=24)
    rule_id = models.CharField(_("rule"), max_length=64)
    entry = models.OneToOneField("ledger.Entry", on_delete=models.PROTECT, related_name="proposal")
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "key"], name="proposal_once_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.key}"
