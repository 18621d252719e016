"""The assessment office's comparison: each department's self scores (考核自评表) beside the
assessed scores, per item and category.

The assessed figures are the engine's, as every page shows them (results.selectors.shown_figures:
the published version, else the proposal), never recomputed here. A category's assessed score
is the engine's; an item has no points of its own in the scheme, so its assessed figure is the
counted deductions and bonuses of its rules (from the category's trail), signed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kaohe.engine.results import Results
from kaohe.engine.scheme import Scheme
from kaohe.results.exports.self_assessment import FormSheet, form_sheet
from kaohe.results.selectors import shown_figures, shown_results
from kaohe.years.models import SelfAssessmentRevision, Year


@dataclass(frozen=True)
class ItemCompared:
    """An item: the self score, and the counted entries' net amount on it (signed)."""

    number: int
    title: str
    self_score: Decimal | None
    assessed_change: Fraction


@dataclass(frozen=True)
class CategoryCompared:
    """A category: the self scores added up beside the engine's score, out of its points."""

    name: str
    points: Fraction
    self_total: Decimal
    assessed: Fraction
    items: tuple[ItemCompared, ...]

    @property
    def difference(self) -> Fraction:
        """Self minus assessed."""
        return Fraction(self.self_total) - self.assessed


@dataclass(frozen=True)
class DepartmentCompared:
    """A department's form against its assessed content score."""

    code: str
    name: str
    submitted: bool
    categories: tuple[CategoryCompared, ...]
    self_total: Decimal
    assessed: Fraction

    @property
    def difference(self) -> Fraction:
        """Self minus assessed, over the content."""
        return Fraction(self.self_total) - self.assessed


@dataclass(frozen=True)
class Comparison:
    """Every assessed department's comparison, and whether the figures are published."""

    published: bool
    departments: tuple[DepartmentCompared, ...]


def current_revisions(year: Year) -> dict[int, SelfAssessmentRevision]:
    """Each department's current form revision, by department id (one query)."""
    found: dict[int, SelfAssessmentRevision] = {}
    revisions = SelfAssessmentRevision.objects.filter(form__year=year).select_related("form")
    for r in revisions.order_by("form__department_id", "-number"):
        found.setdefault(r.form.department_id, r)
    return found


def all_forms(year: Year, url: str) -> list[FormSheet]:
    """Every assessed department's form, in department order; `url` with {code} for its page."""
    revisions = current_revisions(year)
    return [
        form_sheet(
            year, a.department, revisions.get(a.department_id), url.format(code=a.department.code)
        )
        for a in year.assessed.select_related("department")
    ]


def comparison(year: Year) -> Comparison:
    """The self scores beside the engine's figures for every assessed department."""
    shown = shown_figures(year, trail=True)
    _bundle, results = shown_results(shown)
    forms = all_forms(year, "{code}")
    by_code = {f.code: f for f in forms}
    departments = tuple(
        _department(year.scheme, results, by_code[d.code])
        for d in results.departments
        if d.code in by_code
    )
    return Comparison(
        shown.publication is not None, tuple(sorted(departments, key=lambda d: d.code))
    )


def _department(scheme: Scheme, results: Results, form: FormSheet) -> DepartmentCompared:
    result = results.get(form.code)
    changes: dict[int, Fraction] = defaultdict(Fraction)
    for trail in result.category_trails:
        for e in trail.entries:
            if e.counted:
                changes[scheme.rules[e.rule].item] += e.amount if e.is_bonus else -e.amount
    categories = []
    for category, printed in zip(scheme.categories, form.categories, strict=True):
        items = tuple(
            ItemCompared(line.number, line.title, line.score, changes.get(line.number, Fraction(0)))
            for line in printed.lines
        )
        assessed = result.categories.get(category.code, Fraction(0))
        categories.append(
            CategoryCompared(category.name, category.points, printed.subtotal, assessed, items)
        )
    return DepartmentCompared(
        form.code, form.department, form.submitted, tuple(categories), form.total, result.content
    )
