"""How each figure came about: one typed trail per department, built from the engine's result
and the bundle (no words: those are results/words.py), and the ranking table's rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kaohe.constants import flag_names, honor_name, honor_names
from kaohe.engine import Bundle, Results
from kaohe.engine.bundle import Entry as BundleEntry
from kaohe.engine.results import (
    CategoryTrail,
    DepartmentResult,
    EntryTrail,
    KindTrail,
    RoundTrail,
)
from kaohe.engine.scheme import KINDS, Category, EvaluationKind, Rule, Scheme
from kaohe.engine.vocabulary import HONORS
from kaohe.years.counters import reference_shown


@dataclass(frozen=True)
class EntryStep:
    """One entry's part in a category: the engine's trail of it, the entry as the figures counted
    it, its rule and reference, and the reference of the entry counted in its place (same work)."""

    trail: EntryTrail
    entry: BundleEntry
    rule: Rule
    ref: str
    instead: str | None
    department_type: str


@dataclass(frozen=True)
class CategoryStep:
    """A category: points, deductions (before and after the cap), bonuses, score, its entries."""

    category: Category
    trail: CategoryTrail
    entries: tuple[EntryStep, ...]


@dataclass(frozen=True)
class RoundStep:
    """One evaluation round: the grades received and the points they make."""

    trail: RoundTrail
    available: Fraction
    scheme: Scheme


@dataclass(frozen=True)
class KindStep:
    """One evaluation kind: points available, whether the type is rated, its rounds, its score."""

    kind: EvaluationKind
    trail: KindTrail
    department_type: str
    rated: bool
    missing: bool
    rounds: tuple[RoundStep, ...]


@dataclass(frozen=True)
class DepartmentTrail:
    """How a department's figures came about, from the engine's result and the bundle: the one
    trail that the department pages and the exports render (their words: results/words.py)."""

    result: DepartmentResult
    scheme: Scheme
    categories: tuple[CategoryStep, ...]
    kinds: tuple[KindStep, ...]
    honors: tuple[str, ...]


def entry_ref(bundle: Bundle, index: int) -> str:
    """An entry's reference as the trail names it: its id (shown in the one numbering, also in a
    version published before there was one), else its place in the bundle."""
    return reference_shown(str(bundle.entries[index].extra.get("id") or f"#{index + 1}"))


def _entry(bundle: Bundle, d: DepartmentResult, t: EntryTrail) -> EntryStep:
    instead = None if t.instead is None else entry_ref(bundle, t.instead)
    rule = bundle.scheme.rules[t.rule]
    return EntryStep(t, bundle.entries[t.index], rule, entry_ref(bundle, t.index), instead, d.type)


def _kind(scheme: Scheme, d: DepartmentResult, k: KindTrail) -> KindStep:
    kind = scheme.kinds[k.code]
    rounds = tuple(RoundStep(r, k.available, scheme) for r in k.rounds)
    missing = f"no_grades:{k.code}" in d.flags
    return KindStep(kind, k, d.type, kind.rates(d.type), missing, rounds)


def department_trail(
    d: DepartmentResult, bundle: Bundle, honors: Sequence[str] | None = None
) -> DepartmentTrail:
    """The trail of one department's result (with the honors announced, if given)."""
    scheme = bundle.scheme
    categories = tuple(
        CategoryStep(c, t, tuple(_entry(bundle, d, e) for e in t.entries))
        for c, t in zip(scheme.categories, d.category_trails, strict=True)
    )
    kinds = tuple(_kind(scheme, d, k) for k in d.kind_trails)
    return DepartmentTrail(
        d, scheme, categories, kinds, tuple(honors if honors is not None else d.honors)
    )


@dataclass(frozen=True)
class Row:
    """One line of a ranking table."""

    code: str
    name: str
    type: str
    rank: int
    previous_rank: int | None
    categories: tuple[str, ...]
    content: str
    kinds: tuple[str, ...]
    evaluation_total: str
    adjustment: str
    total: str
    honors: str
    honor_codes: tuple[str, ...]
    vetoed: bool
    flags: str

    @property
    def badges(self) -> list[tuple[str, str]]:
        """(code, Chinese name) of each honor, for coloured badges."""
        return [(h, honor_name(h)) for h in self.honor_codes]


def ranking_rows(
    results: Mapping[str, Any],
    bundle: Mapping[str, Any],
    honors: Mapping[str, list[str]],
    scheme: Scheme,
) -> list[Row]:
    """Ranking table rows from stored documents (kaohe-results/1 and the bundle)."""
    departments = {d["code"]: d for d in bundle["departments"]}
    previous = bundle.get("previous_ranks", {})
    rows = []
    for d in results["departments"]:
        dep = departments[d["code"]]
        rated = {k: scheme.kinds[k].rates(dep["type"]) for k in KINDS}
        rows.append(
            Row(
                code=d["code"],
                name=dep["name"],
                type=dep["type"],
                rank=d["rank"],
                previous_rank=previous.get(d["code"]),
                categories=tuple(d["categories"][c.code] for c in scheme.categories),
                content=d["content"],
                kinds=tuple(d["evaluation"][k] if rated[k] else "—" for k in KINDS),
                evaluation_total=d["evaluation_total"],
                adjustment=d["adjustment"],
                total=d["total"],
                honors=honor_names(honors.get(d["code"], [])),
                honor_codes=tuple(honors.get(d["code"], [])),
                vetoed=d["vetoed"],
                flags=flag_names(d["flags"]),
            )
        )
    return rows


def honor_lists(
    rows: list[Row],
) -> list[tuple[str, str, list[str]]]:
    """Per honor (code, Chinese name): the departments holding it, in ranking order."""
    return [(h, honor_name(h), [r.name for r in rows if h in r.honor_codes]) for h in HONORS]


def results_trails(
    results: Results, bundle: Bundle, honors: Mapping[str, list[str]], codes: set[str] | None
) -> list[DepartmentTrail]:
    """Trails of the departments in `codes` (all when None), in ranking order."""
    return [
        department_trail(d, bundle, honors.get(d.code, d.honors))
        for d in results.departments
        if codes is None or d.code in codes
    ]
