"""Reads of the ledger: filtered entries with amounts computed by the engine, the review queue,
an entry's history, and the rows of the ledger export."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.audit.diff import Change, Wording, changes
from kaohe.audit.labels import field_label, value_text
from kaohe.audit.models import AuditEvent
from kaohe.audit.selectors import action_label, target_events
from kaohe.constants import Period
from kaohe.core.numbers import to_fraction
from kaohe.engine.bundle import Entry as EngineEntry
from kaohe.engine.content import entry_amount
from kaohe.engine.numbers import fmt2, plain
from kaohe.engine.scheme import Rule, Scheme
from kaohe.engine.vocabulary import PERSON_TIME as PERSON_TIME
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.models import (
    Batch,
    Entry,
    EntryPerson,
    EntryStatus,
    Evidence,
    Objection,
    ObjectionStatus,
)
from kaohe.ledger.validation import entry_problems
from kaohe.org.models import Department, Person
from kaohe.years.models import Year


@dataclass(frozen=True)
class Filters:
    """What the ledger pages filter by; empty values do not filter."""

    item: int | None = None
    office: str = ""
    period: str = ""
    status: str = ""
    department: str = ""
    person: int | None = None  # a person named on the entry (人次), by staff record

    def query(self, prefix: str = "") -> Q:
        """The filters as a condition on entries (or, with a prefix, on rows pointing to entries)."""
        named = None
        if self.person is not None:
            named = EntryPerson.objects.filter(person_id=self.person).values("entry_id")
        given = {
            "pk__in": named,
            "item": self.item,
            "office": self.office,
            "period": self.period,
            "status": self.status,
            "department__code": self.department,
        }
        return Q(**{f"{prefix}{k}": v for k, v in given.items() if v not in (None, "")})


def user_name(user: Any) -> str:
    """How a user is named on the pages."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


# --- amounts -----------------------------------------------------------------------------


def department_types(year: Year, departments: Iterable[int] | None = None) -> dict[int, str]:
    """Each assessed department's type this year (of these departments only, if given), by
    department id."""
    assessed = year.assessed.all()
    if departments is not None:
        assessed = assessed.filter(department_id__in=set(departments))
    return dict(assessed.values_list("department_id", "type"))


def points_of(
    rule: Rule,
    *,
    department_type: str | None,
    count: int | None,
    actual: int | None,
    amount: Decimal | None,
    modifier: str,
) -> Fraction | None:
    """One entry's exact amount by the engine; None while something it needs is missing."""
    if rule.kind == RuleKind.RANGE and amount is None:
        return None
    if rule.kind == RuleKind.SHORTFALL and (actual is None or department_type is None):
        return None
    if rule.kind != RuleKind.SHORTFALL and not count:
        return None
    if modifier and modifier not in rule.modifiers:
        return None
    engine_entry = EngineEntry(
        department="",
        rule=rule.id,
        period="",
        quantity=count or 1,
        amount=None if amount is None else to_fraction(amount),
        actual=actual,
        modifier=modifier or None,
        same_work=None,
        extra={},
        has_count=count is not None,
    )
    return entry_amount(rule, engine_entry, department_type or "")


def points_text(rule: Rule, points: Fraction | None, count: int | None = None) -> str:
    """'扣 0.40 分', '加 1.50 分', or for an undecided range '区间 1–5 分/项,待考核办评定'."""
    if points is not None:
        template = _("Add %(points)s points") if rule.is_bonus else _("Deduct %(points)s points")
        return template % {"points": fmt2(points)}
    if rule.kind == RuleKind.RANGE:
        text = _(
            "Range %(min)s–%(max)s points per %(unit)s, to be decided by the assessment office"
        )
        times = _(" × %(count)s") % {"count": count} if count and count > 1 else ""
        return (
            text % {"min": plain(rule.min or 0), "max": plain(rule.max or 0), "unit": rule.unit}
        ) + times
    return ""


def preview_text(
    year: Year,
    *,
    rule_id: str,
    department_code: str,
    count: int | None,
    actual: int | None,
    modifier: str,
    period: str = "",
    same_work: str = "",
    exclude_pk: int | None = None,
) -> str:
    """The amount a form's values would give, what is still needed to compute it, or why
    saving would refuse them (the checks of entry_record, validation.entry_problems)."""
    rule = year.scheme.rules.get(rule_id)
    if rule is None:
        return _("Choose a rule to see the amount.")
    department = Department.objects.filter(code=department_code).first()
    if department is not None:
        problems = entry_problems(
            year=year,
            department=department,
            rule_id=rule_id,
            period=period,
            count=count,
            actual=actual,
            modifier=modifier,
            same_work=same_work,
            exclude_pk=exclude_pk,
        )
        # A field the form has not filled yet is asked for below, not refused.
        unfilled = {"period"} if not period else set()
        unfilled |= {"count"} if count is None else set()
        unfilled |= {"actual"} if actual is None else set()
        refused = [m for field, ms in problems.items() if field not in unfilled for m in ms]
        if refused:
            return _("This entry cannot be saved: %(problem)s") % {"problem": refused[0]}
    department_type = (
        year.assessed.filter(department__code=department_code)
        .values_list("type", flat=True)
        .first()
    )
    points = points_of(
        rule,
        department_type=department_type,
        count=count,
        actual=actual,
        amount=None,
        modifier=modifier,
    )
    if points is not None and rule.unit == PERSON_TIME and count is not None:
        text = points_text(rule, points, count)
        return _("%(count)s person-times in all: %(amount)s") % {"count": count, "amount": text}
    if points is not None or rule.kind == RuleKind.RANGE:
        return points_text(rule, points, count)
    if rule.kind == RuleKind.SHORTFALL and department_type is None:
        return _("Choose the department to compute the shortfall.")
    if rule.kind == RuleKind.SHORTFALL:
        return _("Enter the number actually submitted to see the amount.")
    if rule.unit == PERSON_TIME:
        return _("Give the persons involved and their times to see the amount.")
    return _("Enter the count to see the amount.")


@dataclass(frozen=True)
class EntryRow:
    """An entry with its rule, item and amount as the pages show them."""

    entry: Entry
    rule: Rule | None
    item_title: str
    points: Fraction | None
    amount_text: str
    period_text: str = ""  # the entry's get_period_display(), worded once for all the rows
    status_text: str = ""  # and its get_status_display()
    url: str = ""  # the entry's page, where a list gives it (views/lists.py, one reverse())

    @property
    def signed_points(self) -> Fraction | None:
        """Bonuses positive, deductions negative."""
        if self.points is None or self.rule is None:
            return None
        return self.points if self.rule.is_bonus else -self.points


def entry_rows(year: Year, entries: Iterable[Entry]) -> list[EntryRow]:
    """Rows for a page of entries, amounts computed by the engine (one query for the types of
    their departments, not of the year's every department)."""
    entries = list(entries)
    types = department_types(year, {e.department_id for e in entries})
    scheme = year.scheme
    # Worded once here: each get_*_display() translates every label of its field again.
    periods = {value: str(label) for value, label in Period.choices}
    statuses = {value: str(label) for value, label in EntryStatus.choices}
    rows = []
    for e in entries:
        rule = scheme.rules.get(e.rule_id)
        item = scheme.items.get(e.item)
        points = None
        if rule is not None:
            points = points_of(
                rule,
                department_type=types.get(e.department_id),
                count=e.count,
                actual=e.actual,
                amount=e.amount,
                modifier=e.modifier,
            )
        text = points_text(rule, points, e.count) if rule is not None else ""
        title = item.title if item else ""
        period, status = periods.get(e.period, e.period), statuses.get(e.status, e.status)
        rows.append(EntryRow(e, rule, title, points, text, period, status))
    return rows


# --- lists -------------------------------------------------------------------------------


def named_persons(entries: QuerySet[Entry]) -> list[tuple[str, str]]:
    """The persons named on these entries, as filter choices (pk, 姓名（处室）), one query."""
    found = (
        Person.objects.filter(
            pk__in=EntryPerson.objects.filter(entry__in=entries).values("person_id")
        )
        .select_related("department")
        .order_by("department__code", "name")
    )
    return [(str(p.pk), f"{p.name}（{p.department.name}）") for p in found]


def listed(entries: QuerySet[Entry], filters: Filters) -> QuerySet[Entry]:
    """Entries filtered, with what a list row shows loaded in the same query."""
    return entries.filter(filters.query()).select_related("department", "created_by")


@dataclass(frozen=True)
class ReviewQueue:
    """What waits for the assessment office."""

    to_confirm: list[EntryRow]
    to_decide: list[EntryRow]
    objections: list[Objection]


def review_queue(year: Year, filters: Filters) -> ReviewQueue:
    """Submitted entries awaiting confirmation, range entries awaiting a decision, open objections."""
    ranges = [r.id for r in year.scheme.rules.values() if r.kind == RuleKind.RANGE]
    submitted = listed(
        Entry.objects.filter(year=year, status=EntryStatus.SUBMITTED), filters
    ).prefetch_related(
        Prefetch("person_links", queryset=EntryPerson.objects.select_related("person")),
        Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")),
    )
    objections = (
        Objection.objects.filter(entry__year=year, status=ObjectionStatus.OPEN)
        .filter(filters.query("entry__"))
        .select_related("entry__department", "raised_by")
        .order_by("created_at", "id")
    )
    return ReviewQueue(
        to_confirm=entry_rows(year, submitted.exclude(rule_id__in=ranges).order_by("created_at")),
        to_decide=entry_rows(year, submitted.filter(rule_id__in=ranges).order_by("created_at")),
        objections=list(objections),
    )


def assessed_departments(year: Year) -> list[Department]:
    """The year's assessed departments, by code."""
    return list(Department.objects.filter(years__year=year).order_by("code"))


def department_choices(year: Year) -> list[tuple[str, str]]:
    """The year's assessed departments as filter choices (code, "code name"), by code, without
    making a model of each."""
    found = Department.objects.filter(years__year=year).order_by("code")
    return [(code, f"{code} {name}") for code, name in found.values_list("code", "name")]


def staff(department: Department | None) -> list[Person]:
    """A department's active staff, by name."""
    if department is None:
        return []
    return list(department.staff.filter(active=True).order_by("name"))


# --- one entry ---------------------------------------------------------------------------


def entry_objections(entry: Entry) -> list[Objection]:
    """The entry's objections, newest first, with their evidence and people."""
    evidence = Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at"))
    return list(
        entry.objections.select_related("raised_by", "resolved_by").prefetch_related(evidence)
    )


HIDDEN_FIELDS = {"sha256", "size", "entry"}


@dataclass(frozen=True)
class HistoryLine:
    """One audited write to an entry, readable."""

    at: datetime
    who: str
    action: str
    changes: list[Change]


def _wording(scheme: Scheme, objection: bool) -> Wording:
    """How the history words a value: rules and offices by the year's scheme's names."""

    def word(key: str, value: Any) -> str:
        if key == "rule" and value in scheme.rules:
            return scheme.rules[value].name
        if key == "office":
            return scheme.offices.get(value, value)
        if objection and key == "status" and value == ObjectionStatus.OPEN:
            return _("Awaiting decision")
        return value_text(key, value)

    return word


def _changes(event: AuditEvent, scheme: Scheme) -> list[Change]:
    objection = event.action.startswith("objection_")
    found = changes(
        event.before,
        event.after,
        wording=_wording(scheme, objection),
        label=field_label,
        hidden=HIDDEN_FIELDS,
    )
    if not event.before:  # a new record: only the values it was given
        return found
    return [replace(c, before=c.before or "—", after=c.after or "—") for c in found]


def voiding(entry: Entry) -> AuditEvent | None:
    """The audit row that voided the entry (who voided it, when), if it is voided."""
    if entry.status != EntryStatus.VOIDED:
        return None
    events = target_events(AuditTarget.ENTRY, entry.pk).filter(action=AuditAction.ENTRY_VOID)
    return events.order_by("-at", "-id").first()


def office_voided(year: Year, offices: Iterable[str], limit: int = 50) -> list[Entry]:
    """The offices' voided entries of the year, the latest first (for their workbench)."""
    entries = Entry.objects.filter(year=year, office__in=offices, status=EntryStatus.VOIDED)
    return list(entries.select_related("department", "year").order_by("-updated_at", "-id")[:limit])


def entry_history(entry: Entry) -> list[HistoryLine]:
    """The entry's audit events, oldest first: who, when, what changed."""
    events = target_events(AuditTarget.ENTRY, entry.pk)
    scheme = entry.year.scheme
    # Files are audited inside the write they belong to, just before it: show that write first.
    attach = AuditAction.EVIDENCE_ATTACH
    ordered = sorted(events, key=lambda e: (e.at.replace(microsecond=0), e.action == attach, e.pk))
    return [
        HistoryLine(
            timezone.localtime(e.at),
            user_name(e.actor),
            action_label(e.action),
            _changes(e, scheme),
        )
        for e in ordered
    ]


def earlier_imports(year: Year, sha256: str) -> list[Batch]:
    """Earlier saved batches of the same file this year (so that a re-upload can say so)."""
    return list(Batch.objects.filter(year=year, sha256=sha256).select_related("created_by"))


# --- the ledger export -------------------------------------------------------------------


def export_entries(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Entries with everything the export shows, in reference order."""
    persons = Prefetch("person_links", queryset=EntryPerson.objects.select_related("person"))
    return (
        entries.select_related("department", "created_by").prefetch_related(persons).order_by("ref")
    )


EXPORT_COLUMNS: Sequence[tuple[Any, int]] = (
    (gettext_lazy("Reference"), 13),
    (gettext_lazy("Department code"), 10),
    (gettext_lazy("Department"), 16),
    (gettext_lazy("Item"), 24),
    (gettext_lazy("Rule"), 36),
    (gettext_lazy("Recording office"), 12),
    (gettext_lazy("Period"), 9),
    (gettext_lazy("Count"), 7),
    (gettext_lazy("Actual count submitted"), 10),
    (gettext_lazy("Decided amount per case"), 10),
    (gettext_lazy("Modifier"), 20),
    (gettext_lazy("Same-work key"), 14),
    (gettext_lazy("Persons involved"), 16),
    (gettext_lazy("Description"), 40),
    (gettext_lazy("Deduct or add"), 8),
    (gettext_lazy("Points added or deducted"), 11),
    (gettext_lazy("Status"), 8),
    (gettext_lazy("Reason"), 24),
    (gettext_lazy("Decided by"), 14),
    (gettext_lazy("Meeting"), 20),
    (gettext_lazy("Recorder"), 10),
    (gettext_lazy("Recorded at"), 17),
)


def export_row(year: Year, row: EntryRow) -> list[Any]:
    """One entry as a row of the ledger export (points signed, to two places)."""
    e, rule = row.entry, row.rule
    offices = year.scheme.offices
    modifier = rule.modifiers[e.modifier].name if rule and e.modifier in rule.modifiers else ""
    signed = row.signed_points
    return [
        e.ref,
        e.department.code,
        e.department.name,
        f"{e.item}、{row.item_title}",
        rule.name if rule else "",
        offices.get(e.office, e.office),
        e.get_period_display(),
        e.count,
        e.actual,
        None if e.amount is None else e.amount.normalize(),
        modifier,
        e.same_work,
        e.persons_text(),
        e.description,
        (_("Bonus") if rule.is_bonus else _("Deduction")) if rule else "",
        None if signed is None else Decimal(fmt2(signed)),
        e.get_status_display(),
        e.status_reason,
        e.get_decision_method_display() if e.decision_method else "",
        e.decision_meeting,
        user_name(e.created_by),
        timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
    ]
