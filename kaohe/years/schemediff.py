"""The differences between two schemes in Chinese: one sentence per change code of the engine's
scheme_diff (kaohe/engine/scheme/diff.py), for the year's scheme page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.constants import DepartmentType, Honor, period_label
from kaohe.engine import builtin_scheme, builtin_scheme_ids, parse_scheme
from kaohe.engine.scheme import Change, Scheme, scheme_diff
from kaohe.engine.vocabulary import RuleKind
from kaohe.years.actions import scheme_source_document
from kaohe.years.models import SchemeDocument, Year
from kaohe.years.schemeform import RULE_KIND_LABELS

WORDS: Mapping[str, Promise] = {
    "scheme_name": gettext_lazy("The scheme's name"),
    "office_added": gettext_lazy("Office added"),
    "office_removed": gettext_lazy("Office removed"),
    "office_renamed": gettext_lazy("Office's name"),
    "category_added": gettext_lazy("Category added (points)"),
    "category_removed": gettext_lazy("Category removed (points)"),
    "category_renamed": gettext_lazy("Category's name"),
    "category_points": gettext_lazy("Category's points"),
    "item_added": gettext_lazy("Item added"),
    "item_removed": gettext_lazy("Item removed"),
    "item_renamed": gettext_lazy("Item's title"),
    "item_offices": gettext_lazy("Item's responsible offices"),
    "rule_added": gettext_lazy("Rule added (amount)"),
    "rule_removed": gettext_lazy("Rule removed (amount)"),
    "rule_renamed": gettext_lazy("Rule's name"),
    "rule_moved": gettext_lazy("Rule moved to another item"),
    "rule_direction": gettext_lazy("Deduction or bonus"),
    "rule_kind": gettext_lazy("How the amount is found"),
    "rule_unit": gettext_lazy("Unit"),
    "rule_amount": gettext_lazy("Amount per unit"),
    "rule_min": gettext_lazy("Least amount of the range"),
    "rule_max": gettext_lazy("Largest amount of the range"),
    "rule_quota": gettext_lazy("Quota per half-year"),
    "rule_once_a_year": gettext_lazy("At most once a year"),
    "rule_offices": gettext_lazy("Recording offices"),
    "modifier_added": gettext_lazy("Modifier added (factor)"),
    "modifier_removed": gettext_lazy("Modifier removed (factor)"),
    "modifier_renamed": gettext_lazy("Modifier's name"),
    "modifier_factor": gettext_lazy("Modifier's factor"),
    "grade_added": gettext_lazy("Grade added (coefficient)"),
    "grade_removed": gettext_lazy("Grade removed (coefficient)"),
    "grade_renamed": gettext_lazy("Grade's name"),
    "grade_coefficient": gettext_lazy("Grade's coefficient"),
    "kind_renamed": gettext_lazy("Evaluation's name"),
    "kind_points": gettext_lazy("Evaluation points"),
    "round_added": gettext_lazy("Round added (weight)"),
    "round_removed": gettext_lazy("Round removed (weight)"),
    "round_weight": gettext_lazy("Round's weight"),
    "option": gettext_lazy("Ballot option"),
    "honor_size": gettext_lazy("Number of departments honored"),
    "veto_reason": gettext_lazy("One-vote veto reason"),
}
OPTIONS: Mapping[str, Promise] = {
    "drop_extremes_min_grades": gettext_lazy("Drop the highest and the lowest grade"),
    "excellent_max_share": gettext_lazy("Limit on excellent grades per ballot"),
}


@dataclass(frozen=True)
class ChangeRow:
    """A change as the table shows it: what changed, of what, before and after."""

    what: str
    subject: str
    before: str
    after: str


def _detail(change: Change) -> str:
    """The change's detail in words: a department type, a period, an item's number."""
    if change.code in ("kind_points", "rule_quota"):
        return str(DepartmentType(change.detail).label)
    if change.code.startswith("round_"):
        return period_label(change.detail)
    if change.code in ("rule_added", "rule_removed"):
        return _("item %(number)s") % {"number": change.detail}
    return change.detail


def _subject(change: Change) -> str:
    if change.code == "honor_size":
        return str(Honor(change.subject).label)
    if change.code == "option":
        return str(OPTIONS[change.subject])
    return change.subject


def _value(change: Change, value: str) -> str:
    if change.code == "rule_once_a_year":
        return _("yes") if value else _("no")
    if change.code == "rule_direction":
        return _("bonus") if value == "bonus" else _("deduction")
    if change.code == "rule_kind" and value in RULE_KIND_LABELS:
        return str(RULE_KIND_LABELS[RuleKind(value)])
    return value or "—"


def change_row(change: Change) -> ChangeRow:
    """One change in Chinese."""
    detail = _detail(change)
    subject = _subject(change)
    if detail:
        subject = _("%(subject)s (%(detail)s)") % {"subject": subject, "detail": detail}
    before, after = _value(change, change.before), _value(change, change.after)
    return ChangeRow(str(WORDS[change.code]), subject, before, after)


def diff_rows(a: Scheme, b: Scheme) -> list[ChangeRow]:
    """Every change from scheme a to scheme b, in Chinese."""
    return [change_row(c) for c in scheme_diff(a, b)]


# --- the comparison on the year's scheme page -------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """The year's scheme compared with another: the choices, the one chosen, its changes."""

    choices: list[tuple[str, str]]
    chosen: str
    label: str
    rows: list[ChangeRow]
    previous: bool


def compare_choices(year: Year, *, with_library: bool) -> list[tuple[str, str]]:
    """The schemes a year's scheme can be compared with: the other years' and, for those who
    keep the library, the built-in and library schemes."""
    choices = [
        (f"year:{y.year}", _("Year %(year)s: %(name)s") % {"year": y.year, "name": y.scheme.name})
        for y in Year.objects.exclude(pk=year.pk).order_by("-year")
    ]
    if with_library:
        choices += [
            (f"builtin:{i}", _("Built-in: %(name)s") % {"name": builtin_scheme(i).name})
            for i in builtin_scheme_ids()
        ]
        choices += [
            (f"library:{d.scheme_id}", _("Library: %(name)s") % {"name": d.name})
            for d in SchemeDocument.objects.exclude(scheme_id__in=builtin_scheme_ids())
        ]
    return choices


def comparison(year: Year, source: str | None, *, with_library: bool) -> Comparison | None:
    """The year's scheme against the chosen one (by default the previous year's); nothing
    chosen when there is no previous year; None when there is no other scheme at all."""
    choices = compare_choices(year, with_library=with_library)
    labels = dict(choices)
    previous = Year.objects.filter(year__lt=year.year).order_by("-year").first()
    if source not in labels:
        source = None if previous is None else f"year:{previous.year}"
    if source is None:
        return Comparison(choices, "", "", [], False) if choices else None
    other = parse_scheme(scheme_source_document(source)[1])
    is_previous = previous is not None and source == f"year:{previous.year}"
    return Comparison(choices, source, labels[source], diff_rows(other, year.scheme), is_previous)
