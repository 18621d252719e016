"""Reads behind the year pages: a department's page and the all-departments overview.

Both compute the year live through the engine (the same `year_bundle` → `compute` as
`kaohe export` + `kaohe compute`), with a fixed number of queries however many departments.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Prefetch, Q

from kaohe.engine import DepartmentResult, Results, compute
from kaohe.engine.numbers import plain
from kaohe.engine.results import CategoryTrail, KindTrail, RoundTurnout
from kaohe.engine.scheme import KINDS, Category, EvaluationKind, Rule, Scheme
from kaohe.engine.schemetext import rule_amount_text
from kaohe.ledger.models import Entry, EntryStatus, Objection, ObjectionStatus
from kaohe.org.models import Department, Person
from kaohe.years import explain
from kaohe.years.models import Year
from kaohe.years.selectors import year_bundle


@dataclass(frozen=True)
class EntryLine:
    """One entry on the page: the row, its rule, its amount and why it counts or not."""

    entry: Entry
    rule: Rule
    amount: Fraction | None
    counted: bool
    how: str
    note: str = ""
    category: str = ""


@dataclass(frozen=True)
class CategoryBlock:
    """A category: its trail, the sentence explaining it, its entries."""

    category: Category
    trail: CategoryTrail
    text: str
    lines: tuple[EntryLine, ...]


@dataclass(frozen=True)
class RoundLine:
    """One evaluation round of one kind for the department, with its sentence."""

    period: str
    label: str
    grades: tuple[tuple[str, int], ...]
    points: Fraction | None
    text: str


@dataclass(frozen=True)
class KindBlock:
    """An evaluation kind: points available, rounds, score and its sentence."""

    kind: EvaluationKind
    trail: KindTrail
    rated: bool
    rounds: tuple[RoundLine, ...]
    text: str


@dataclass(frozen=True)
class DepartmentPage:
    """Everything the department's page shows."""

    year: Year
    department: Department
    result: DepartmentResult
    department_count: int
    categories: tuple[CategoryBlock, ...]
    kinds: tuple[KindBlock, ...]
    pending: tuple[EntryLine, ...]
    objections: tuple[Objection, ...]
    content_text: str
    total_text: str
    rank_text: str
    honors: list[str]
    flags: list[str]
    vetoes: tuple[tuple[str, str], ...]
    complete: bool


def _department_entries(year: Year, department: Department) -> list[Entry]:
    """The department's confirmed and submitted entries, with evidence, persons and objections."""
    return list(
        Entry.objects.filter(
            year=year,
            department=department,
            status__in=[EntryStatus.CONFIRMED, EntryStatus.SUBMITTED],
        )
        .prefetch_related(
            "evidence",
            Prefetch("persons", queryset=Person.objects.only("id", "name")),
        )
        .order_by("period", "rule_id", "id")
    )


def _category_blocks(
    year: Year, result: DepartmentResult, refs: list[str], by_ref: dict[str, Entry]
) -> tuple[CategoryBlock, ...]:
    scheme = year.scheme
    blocks = []
    for category, trail in zip(scheme.categories, result.category_trails, strict=True):
        lines = []
        for t in trail.entries:
            entry = by_ref[refs[t.index]]
            rule = scheme.rules[t.rule]
            note = explain.same_work_text(entry.same_work, t.counted) if entry.same_work else ""
            how = explain.entry_amount_text(rule, entry, result.type, t.amount)
            lines.append(EntryLine(entry, rule, t.amount, t.counted, how, note))
        blocks.append(
            CategoryBlock(category, trail, explain.category_text(category, trail), tuple(lines))
        )
    return tuple(blocks)


def _kind_blocks(year: Year, result: DepartmentResult) -> tuple[KindBlock, ...]:
    scheme = year.scheme
    blocks = []
    for trail in result.kind_trails:
        kind = scheme.kinds[trail.code]
        rounds = tuple(
            RoundLine(
                r.period,
                explain.period_label(r.period),
                tuple(
                    (scheme.grades[g].name, n) for g, n in r.grades.items() if g in scheme.grades
                ),
                r.points,
                explain.round_text(scheme, trail.available, r),
            )
            for r in trail.rounds
        )
        text = explain.kind_text(kind, trail, result.type)
        blocks.append(KindBlock(kind, trail, trail.available > 0, rounds, text))
    return tuple(blocks)


def department_page(year: Year, department: Department) -> DepartmentPage:
    """The department's year so far, computed live, with the trail behind every number."""
    bundle = year_bundle(year)
    results = compute(bundle)
    result = results.get(department.code)
    refs = [str(e.extra.get("id", "")) for e in bundle.entries]
    rows = _department_entries(year, department)
    by_ref = {e.ref: e for e in rows if e.status == EntryStatus.CONFIRMED}
    scheme = year.scheme
    names = {c.code: c.name for c in scheme.categories}
    pending = tuple(
        EntryLine(
            e,
            scheme.rules[e.rule_id],
            None,
            False,
            explain.pending_amount_text(scheme.rules[e.rule_id], e),
            category=names.get(e.category, e.category),
        )
        for e in rows
        if e.status == EntryStatus.SUBMITTED and e.rule_id in scheme.rules
    )
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
        categories=_category_blocks(year, result, refs, by_ref),
        kinds=_kind_blocks(year, result),
        pending=pending,
        objections=objections,
        content_text=explain.content_text(result.categories, scheme, result.content),
        total_text=explain.total_text(result),
        rank_text=explain.rank_text(result, len(results.departments)),
        honors=explain.honor_labels(result.honors),
        flags=explain.flag_labels(result.flags),
        vetoes=tuple(
            (scheme.veto_reasons.get(v.reason, v.reason), v.note or "") for v in result.vetoes
        ),
        complete=results.complete,
    )


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
    rows: tuple[OverviewRow, ...]
    categories: tuple[Category, ...]
    kinds: tuple[EvaluationKind, ...]
    turnout: tuple[TurnoutLine, ...]
    awaiting_review: int
    awaiting_decision: int
    open_objections: int


def _turnout_line(scheme: Scheme, t: RoundTurnout) -> TurnoutLine:
    label = f"{scheme.kinds[t.kind].name} · {explain.period_label(t.period)}"
    return TurnoutLine(label, t.ballots, t.blank, t.invalid)


def overview(year: Year) -> Overview:
    """The whole year computed live by the engine, and what still awaits review."""
    results = compute(year_bundle(year), trail=False)
    scheme = year.scheme
    rows = tuple(
        OverviewRow(
            d,
            tuple((c.code, d.categories[c.code]) for c in scheme.categories),
            tuple((k, d.evaluation[k] if scheme.kinds[k].rates(d.type) else None) for k in KINDS),
            explain.honor_labels(d.honors),
            explain.flag_labels(d.flags),
        )
        for d in results.departments
    )
    range_rules = [r.id for r in scheme.rules.values() if r.kind == "range"]
    undecided = Q(rule_id__in=range_rules, amount__isnull=True)
    waiting = Entry.objects.filter(year=year, status=EntryStatus.SUBMITTED).aggregate(
        review=Count("id"), decision=Count("id", filter=undecided)
    )
    return Overview(
        year=year,
        results=results,
        rows=rows,
        categories=scheme.categories,
        kinds=tuple(scheme.kinds[k] for k in KINDS),
        turnout=tuple(_turnout_line(scheme, t) for t in results.turnout),
        awaiting_review=waiting["review"],
        awaiting_decision=waiting["decision"],
        open_objections=Objection.objects.filter(
            entry__year=year, status=ObjectionStatus.OPEN
        ).count(),
    )


@dataclass(frozen=True)
class RuleLine:
    """A rule on the scheme page, with its amount in words and its extras."""

    rule: Rule
    amount_text: str
    offices: str
    extras: str


@dataclass(frozen=True)
class ItemBlock:
    """An item on the scheme page with its responsible offices and rules."""

    number: int
    title: str
    offices: str
    rules: tuple[RuleLine, ...]


@dataclass(frozen=True)
class KindLine:
    """An evaluation kind on the scheme page."""

    kind: EvaluationKind
    points: tuple[tuple[str, Fraction], ...]
    rounds: tuple[tuple[str, Fraction], ...]


@dataclass(frozen=True)
class SchemePage:
    """A scheme as the scheme page shows it."""

    scheme: Scheme
    content_points: Fraction
    categories: tuple[tuple[Category, tuple[ItemBlock, ...]], ...]
    kinds: tuple[KindLine, ...]


def _rule_line(scheme: Scheme, rule: Rule) -> RuleLine:
    extras = [f"{m.name} ×{plain(m.factor)}" for m in rule.modifiers.values()]
    if rule.once_a_year:
        extras.append(str(explain.ONCE_A_YEAR))
    offices = "、".join(scheme.offices.get(o, o) for o in rule.offices)
    return RuleLine(rule, rule_amount_text(rule), offices, ";".join(extras))


def scheme_page(scheme: Scheme) -> SchemePage:
    """Categories with points, items with offices, rules with amounts, evaluation, honors, vetoes."""
    categories = tuple(
        (
            c,
            tuple(
                ItemBlock(
                    i.number,
                    i.title,
                    "、".join(scheme.offices.get(o, o) for o in i.offices),
                    tuple(_rule_line(scheme, r) for r in i.rules),
                )
                for i in c.items
            ),
        )
        for c in scheme.categories
    )
    kinds = tuple(
        KindLine(
            scheme.kinds[k],
            tuple(
                (scheme.department_types.get(t, t), p) for t, p in scheme.kinds[k].points.items()
            ),
            tuple((explain.period_label(r.period), r.weight) for r in scheme.kinds[k].rounds),
        )
        for k in KINDS
    )
    total = sum((c.points for c in scheme.categories), Fraction(0))
    return SchemePage(scheme, total, categories, kinds)
