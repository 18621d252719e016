"""Reads behind the year pages: a department's page and the all-departments overview.

Both show what every page shows of a year (results.selectors.shown_figures): its current
published version, naming it, or before publication the engine's proposal (what `kaohe export`
+ `kaohe compute` give); with a fixed number of queries however many departments. The
assessment office also sees, after publication, what the live computation changes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from kaohe.engine import DepartmentResult, Results
from kaohe.engine.results import RoundTurnout
from kaohe.engine.scheme import KINDS, Category, EvaluationKind, Rule, Scheme
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.models import Entry, EntryPerson, EntryStatus, Objection, ObjectionStatus
from kaohe.org.models import Department
from kaohe.results import words
from kaohe.results.diff import Diff, live_diff
from kaohe.results.models import Publication
from kaohe.results.selectors import Shown, live_year, shown_figures, shown_results
from kaohe.results.trails import CategoryStep, DepartmentTrail, EntryStep, department_trail
from kaohe.years.models import Year


@dataclass(frozen=True)
class CategoryRows:
    """A category of the trail, with the department's rows behind its entries (links, evidence)."""

    step: CategoryStep
    rows: tuple[tuple[EntryStep, Entry], ...]


@dataclass(frozen=True)
class PendingEntry:
    """A submitted entry, not counted yet: its rule and what it will be worth once confirmed."""

    entry: Entry
    rule: Rule
    how: str
    category: str


@dataclass(frozen=True)
class DepartmentPage:
    """Everything the department's page shows."""

    year: Year
    department: Department
    result: DepartmentResult
    department_count: int
    trail: DepartmentTrail
    categories: tuple[CategoryRows, ...]
    pending: tuple[PendingEntry, ...]
    objections: tuple[Objection, ...]
    content_text: str
    total_text: str
    rank_text: str
    honors: list[str]
    flags: list[str]
    vetoes: tuple[tuple[str, str], ...]
    complete: bool
    publication: Publication | None
    live_changes: Diff | None


def _department_entries(year: Year, department: Department) -> list[Entry]:
    """The department's entries that count or wait (and voided ones, which a published version
    may still count), with evidence, persons and objections."""
    return list(
        Entry.objects.filter(
            year=year,
            department=department,
            status__in=[EntryStatus.CONFIRMED, EntryStatus.SUBMITTED, EntryStatus.VOIDED],
        )
        .prefetch_related(
            "evidence",
            Prefetch("person_links", queryset=EntryPerson.objects.select_related("person")),
        )
        .order_by("period", "rule_id", "id")
    )


def _category_rows(trail: DepartmentTrail, by_ref: dict[str, Entry]) -> tuple[CategoryRows, ...]:
    """Each category of the trail with the rows of its entries recorded here (an entry of an
    imported bundle that is not recorded here has nothing to link or show evidence of)."""
    return tuple(
        CategoryRows(c, tuple((e, by_ref[e.ref]) for e in c.entries if e.ref in by_ref))
        for c in trail.categories
    )


def _pending(scheme: Scheme, rows: list[Entry]) -> tuple[PendingEntry, ...]:
    """The department's submitted entries, not yet counted, with their amounts in words."""
    names = {c.code: c.name for c in scheme.categories}
    return tuple(
        PendingEntry(
            e,
            scheme.rules[e.rule_id],
            words.pending_amount_text(scheme.rules[e.rule_id], e),
            names.get(e.category, e.category),
        )
        for e in rows
        if e.status == EntryStatus.SUBMITTED and e.rule_id in scheme.rules
    )


def department_page(year: Year, department: Department, *, office: bool) -> DepartmentPage:
    """The department's year as every page shows it (published, else proposed), with the trail
    behind every number; PublicationMismatch if a version's inputs no longer give its figures.
    `office`: the assessment office, which also sees what the live computation changes."""
    shown = shown_figures(year, trail=True)
    bundle, results = shown_results(shown)
    result = results.get(department.code)
    trail = department_trail(result, bundle)
    rows = _department_entries(year, department)
    by_ref = {e.ref: e for e in rows if e.status != EntryStatus.SUBMITTED}
    scheme = bundle.scheme
    objections = tuple(
        Objection.objects.filter(entry__year=year, entry__department=department)
        .select_related("entry")
        .order_by("-created_at", "-id")
    )
    return DepartmentPage(
        year=year,
        department=department,
        result=result,
        department_count=len(results.departments),
        trail=trail,
        categories=_category_rows(trail, by_ref),
        pending=_pending(scheme, rows),
        objections=objections,
        content_text=words.content_text(result.categories, scheme, result.content),
        total_text=words.total_text(result),
        rank_text=words.rank_text(result, len(results.departments)),
        honors=words.honor_labels(result.honors),
        flags=words.flag_labels(result.flags),
        vetoes=tuple(
            (scheme.veto_reasons.get(v.reason, v.reason), v.note or "") for v in result.vetoes
        ),
        complete=results.complete,
        publication=shown.publication,
        live_changes=_live_changes(year, shown, department.code) if office else None,
    )


def _live_changes(year: Year, shown: Shown, code: str | None = None) -> Diff | None:
    """After publication, what the live computation changes (for one department, or all)."""
    if shown.publication is None:
        return None
    live = live_year(year, trail=False)
    changes = live_diff(shown.publication, live.computed, year.scheme)
    if code is None:
        return changes
    mine = tuple(d for d in changes.departments if d.code == code)
    return dataclasses.replace(changes, departments=mine, inputs=())


@dataclass(frozen=True)
class OverviewRow:
    """One department's line of the overview."""

    result: DepartmentResult
    categories: tuple[tuple[str, Fraction], ...]
    kinds: tuple[tuple[str, Fraction | None], ...]
    honors: list[str]
    flags: list[str]


@dataclass(frozen=True)
class TurnoutLine:
    """Ballots received in one round."""

    label: str
    ballots: int
    blank: int
    invalid: int


@dataclass(frozen=True)
class Overview:
    """All departments × categories, kinds, adjustment, total, rank, honors, flags."""

    year: Year
    results: Results
    scheme: Scheme
    categories: tuple[Category, ...]
    kinds: tuple[EvaluationKind, ...]
    turnout: tuple[TurnoutLine, ...]
    awaiting_review: int
    awaiting_decision: int
    open_objections: int
    publication: Publication | None
    live_changes: Diff | None
    key: tuple[object, ...]  # names what the table shows (rendered once: core.fragments)

    @cached_property
    def rows(self) -> tuple[OverviewRow, ...]:
        """Each department's line, in ranking order (made when the table is rendered)."""
        scheme = self.scheme
        return tuple(
            OverviewRow(
                d,
                tuple((c.code, d.categories[c.code]) for c in scheme.categories),
                tuple(
                    (k, d.evaluation[k] if scheme.kinds[k].rates(d.type) else None) for k in KINDS
                ),
                words.honor_labels(d.honors),
                words.flag_labels(d.flags),
            )
            for d in self.results.departments
        )


def _turnout_line(scheme: Scheme, t: RoundTurnout) -> TurnoutLine:
    label = f"{scheme.kinds[t.kind].name} · {words.period_label(t.period)}"
    return TurnoutLine(label, t.ballots, t.blank, t.invalid)


def _count(rows: QuerySet[Any], year: str) -> Coalesce:
    """How many of these rows (correlated with the year's row by the field `year`)."""
    counted = rows.order_by().values(year).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def overview(year: Year, *, office: bool) -> Overview:
    """The whole year as every page shows it (published, else proposed), and what still awaits
    review; PublicationMismatch if a version's inputs no longer give its figures. `office`: the
    assessment office, which also sees what the live computation changes."""
    shown = shown_figures(year)
    bundle, results = shown_results(shown)
    scheme = bundle.scheme
    range_rules = [r.id for r in scheme.rules.values() if r.kind == RuleKind.RANGE]
    submitted = Entry.objects.filter(year=OuterRef("pk"), status=EntryStatus.SUBMITTED)
    undecided = submitted.filter(rule_id__in=range_rules, amount__isnull=True)
    objections = Objection.objects.filter(entry__year=OuterRef("pk"), status=ObjectionStatus.OPEN)
    # What awaits the office, counted in one statement.
    waiting = (
        Year.objects.filter(pk=year.pk)
        .annotate(
            review=_count(submitted, "year"),
            decision=_count(undecided, "year"),
            objections=_count(objections, "entry__year"),
        )
        .values("review", "decision", "objections")
        .get()
    )
    return Overview(
        year=year,
        results=results,
        scheme=scheme,
        categories=scheme.categories,
        kinds=tuple(scheme.kinds[k] for k in KINDS),
        turnout=tuple(_turnout_line(scheme, t) for t in results.turnout),
        awaiting_review=waiting["review"],
        awaiting_decision=waiting["decision"],
        open_objections=waiting["objections"],
        publication=shown.publication,
        live_changes=_live_changes(year, shown) if office else None,
        key=(year.year, *shown.key),
    )
