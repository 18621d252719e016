"""The ledger: entries of deductions and bonuses, their evidence, and departments' objections."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.constants import DecisionMethod, EntryStatus, ObjectionStatus, Period
from kaohe.core.models import StoredFile, stored_path
from kaohe.core.numbers import to_fraction
from kaohe.engine import bundle as engine
from kaohe.engine.scheme import Rule
from kaohe.engine.vocabulary import DECISION_WORDS, RuleKind


def persons_text(times: Iterable[tuple[str, int]]) -> str:
    """Persons named, (name, times) by name, as the pages show them: 王小明 ×2、丁海峰 ×1."""
    return "、".join(f"{name} ×{n}" for name, n in times)


def once_slot(rule: Rule | None, period: str) -> str:
    """What a rule allows one entry of per department (rules.md §3, §7), or "" if no limit.

    A once-a-year rule takes one entry a year ("year"), a shortfall rule one per half-year (the
    period); every other rule takes any number.
    """
    if rule is None:
        return ""
    if rule.once_a_year:
        return "year"
    if rule.kind == RuleKind.SHORTFALL:
        return period
    return ""


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
    # For person-time (人次) rules each person named with how many times (EntryPerson.times);
    # the entry's count is then their sum.
    persons = models.ManyToManyField(
        "org.Person", blank=True, related_name="entries", through="EntryPerson"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    status_reason = models.TextField(_("reason"), blank=True)
    decision_method = models.CharField(
        _("decided by"), max_length=16, choices=DecisionMethod.choices, blank=True
    )
    decision_meeting = models.CharField(_("meeting"), max_length=200, blank=True)
    # A secret ballot's count, no names (votes.py): {"members", "voted", "abstained",
    # "distribution": ["2.5 ×2", …], "step"}; empty for any other decision.
    decision_votes = models.JSONField(_("secret ballot"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Kept by save() from the rule and period (once_slot): the constraint below reads it.
    once_slot = models.CharField(max_length=4, blank=True, default="", editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "ref"], name="entry_ref_unique"),
            # One live entry per once-a-year rule and department, one per shortfall rule and
            # half-year: drafts and returned entries count (they are on their way), voided ones
            # do not (a new entry may replace them).
            models.UniqueConstraint(
                fields=["year", "department", "rule_id", "once_slot"],
                condition=~Q(once_slot="") & ~Q(status="voided"),
                name="entry_once_per_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"]),
            models.Index(fields=["year", "department"]),
            # The ledger list's order (Meta.ordering) within a year: a page of 50 is read from
            # the index instead of sorting the year's every entry.
            models.Index(fields=["year", "-created_at", "-id"], name="entry_year_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.rule_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, keeping `once_slot` in step with the rule and the period."""
        fields = kwargs.get("update_fields")
        if fields is None or {"rule_id", "period"} & set(fields):
            self.once_slot = once_slot(self.year.scheme.rules.get(self.rule_id), self.period)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "once_slot"}
        super().save(*args, **kwargs)

    def to_engine(self) -> engine.Entry:
        """The entry as the engine takes it (load `department`, prefetch `person_links__person`)."""
        values = [getattr(self, f) for f in ENGINE_FIELDS[1:]]
        # bundle.md: for 人次 rules one name per person-time, so a name repeats `times` times.
        persons = [p.name for p, times in self.person_times() for _ in range(times)]
        return entry_to_engine(self.department.code, *values, persons=persons)

    def person_times(self) -> list[tuple[Any, int]]:
        """The persons named, each with how many times, by name (prefetch `person_links__person`)."""
        links = sorted(self.person_links.all(), key=lambda link: (link.person.name, link.person_id))
        return [(link.person, link.times) for link in links]

    def persons_text(self) -> str:
        """The persons named as the pages show them: 王小明 ×2、丁海峰 ×1."""
        return persons_text((p.name, times) for p, times in self.person_times())


# The entry's fields the engine reads, in the order entry_to_engine takes them: the year's
# bundle reads them with values_list (results/bundle.py), Entry.to_engine from the instance.
ENGINE_FIELDS = (
    "department__code",
    "rule_id",
    "period",
    "count",
    "amount",
    "actual",
    "modifier",
    "same_work",
    "ref",
    "office",
    "description",
    "decision_method",
    "decision_meeting",
)


def entry_to_engine(
    department: str,
    rule_id: str,
    period: str,
    count: int | None,
    amount: Any,
    actual: int | None,
    modifier: str,
    same_work: str,
    ref: str,
    office: str,
    description: str,
    decision_method: str,
    decision_meeting: str,
    *,
    persons: list[str],
) -> engine.Entry:
    """An entry as the engine takes it, from its fields (ENGINE_FIELDS) and its persons' names:
    the one mapping of an entry to the engine, with the product's optional bundle fields."""
    extra: dict[str, Any] = {"id": ref, "office": office}
    if persons:
        extra["persons"] = sorted(persons)
    if description:
        extra["description"] = description
    if decision_method:
        extra["decided_by"] = DECISION_WORDS[decision_method]
    if decision_meeting:
        extra["meeting"] = decision_meeting
    return engine.Entry(
        department,
        rule_id,
        period,
        count or 1,
        None if amount is None else to_fraction(amount),
        actual,
        modifier or None,
        same_work or None,
        extra,
        count is not None,
    )


class EntryPerson(models.Model):
    """A person named in an entry, and how many times (人次) the entry counts them."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="person_links")
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")
    times = models.PositiveIntegerField(_("times"), default=1)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "person"], name="entry_person_unique"),
            models.CheckConstraint(condition=Q(times__gte=1), name="entry_person_times_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.person_id} ×{self.times}"


class Batch(models.Model):
    """A batch file saved into the ledger; its id comes from the checked file, so it saves once."""

    id = models.CharField(primary_key=True, max_length=64, editable=False)
    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="batches")
    office = models.CharField(_("recording office"), max_length=8)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    submitted = models.BooleanField(default=False)
    entry_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.year} {self.office} {self.file_name}"


# Named by migration 0001; files are placed by StoredFile.DIRECTORY now.
evidence_path = stored_path


class Evidence(StoredFile):
    """A file attached to an entry or an objection; served only to those who may see it."""

    DIRECTORY = "evidence"

    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    objection = models.ForeignKey(
        "Objection", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )


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
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(status="open"), name="objection_one_open_per_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} {self.get_status_display()}"


# The assessment office's members and their secret ballots on range amounts (seed §七, §八.2),
# defined in votes.py and re-exported here, the app's models module.
from kaohe.ledger.votes import OfficeMember as OfficeMember  # noqa: E402
from kaohe.ledger.votes import RangeVote as RangeVote  # noqa: E402
from kaohe.ledger.votes import RangeVoteCast as RangeVoteCast  # noqa: E402
from kaohe.ledger.votes import RangeVoteCode as RangeVoteCode  # noqa: E402
from kaohe.ledger.votes import RangeVoteItem as RangeVoteItem  # noqa: E402
from kaohe.ledger.votes import RangeVoteStatus as RangeVoteStatus  # noqa: E402
