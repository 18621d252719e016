"""How each figure came about, laid out for pages and exports (from the engine's trails)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kaohe.constants import Period, flag_names, honor_name, honor_names
from kaohe.engine import Bundle, Results
from kaohe.engine.numbers import fmt2
from kaohe.engine.results import DepartmentResult
from kaohe.engine.scheme import KINDS, Scheme
from kaohe.engine.vocabulary import HONORS


@dataclass(frozen=True)
class EntryLine:
    """One entry in a category: what, when, how much, whether it counted."""

    ref: str
    rule: str
    period: str
    bonus: bool
    amount: str
    counted: bool
    note: str
    description: str


@dataclass(frozen=True)
class CategoryLine:
    """A category's points, deductions (before and after the cap), bonuses and score."""

    code: str
    name: str
    points: str
    deductions: str
    deductions_applied: str
    capped: bool
    bonuses: str
    score: str
    entries: tuple[EntryLine, ...]


@dataclass(frozen=True)
class RoundLine:
    """One evaluation round: the grades received and the points they make."""

    period: str
    grades: str
    count: int
    points: str


@dataclass(frozen=True)
class KindLine:
    """One evaluation kind: points available, rounds, score."""

    code: str
    name: str
    available: str
    rated: bool
    rounds: tuple[RoundLine, ...]
    score: str
    missing: bool


@dataclass(frozen=True)
class Trail:
    """A department's whole explanation."""

    code: str
    name: str
    rank: int
    previous_rank: int | None
    total: str
    content: str
    evaluation_total: str
    adjustment: str
    categories: tuple[CategoryLine, ...]
    kinds: tuple[KindLine, ...]
    adjustments: tuple[tuple[str, str, str], ...]
    vetoes: tuple[tuple[str, str], ...]
    honors: str
    flags: str


SAME_WORK = re.compile(
    r"^same_work:(?P<key>.*?)(; entries\[(?P<other>\d+)\] is larger or equal and counts instead)?$"
)


def _ref(bundle: Bundle, index: int) -> str:
    return str(bundle.entries[index].extra.get("id") or f"#{index + 1}")


def _note(bundle: Bundle, note: str) -> str:
    """The engine's trail note in words (it notes the same-work rule, rules.md §3)."""
    m = SAME_WORK.match(note)
    if m is None:
        return note
    if m.group("other") is None:
        return _("Same work %(key)s: only the largest award counts.") % {"key": m.group("key")}
    return _("Same work %(key)s: %(ref)s counts instead, as the largest award.") % {
        "key": m.group("key"),
        "ref": _ref(bundle, int(m.group("other"))),
    }


def _entry(bundle: Bundle, scheme: Scheme, t: Any) -> EntryLine:
    entry = bundle.entries[t.index]
    return EntryLine(
        ref=_ref(bundle, t.index),
        rule=scheme.rules[t.rule].name,
        period=str(Period(t.period).label),
        bonus=t.is_bonus,
        amount=fmt2(t.amount),
        counted=t.counted,
        note=_note(bundle, t.note),
        description=str(entry.extra.get("description", "")),
    )


def _grades(scheme: Scheme, grades: Mapping[str, int]) -> str:
    return "、".join(f"{scheme.grades[g].name} {grades[g]}" for g in scheme.grades if grades.get(g))


def department_trail(d: DepartmentResult, bundle: Bundle, honors: list[str] | None = None) -> Trail:
    """The trail of one department's result."""
    scheme = bundle.scheme
    names = {c.code: c.name for c in scheme.categories}
    categories = tuple(
        CategoryLine(
            c.code,
            names[c.code],
            fmt2(c.points),
            fmt2(c.deductions),
            fmt2(c.deductions_applied),
            c.capped,
            fmt2(c.bonuses),
            fmt2(c.score),
            tuple(_entry(bundle, scheme, t) for t in c.entries),
        )
        for c in d.category_trails
    )
    trails = {k.code: k for k in d.kind_trails}
    kinds = []
    for code in KINDS:
        kind = scheme.kinds[code]
        k = trails.get(code)
        rounds = (
            ()
            if k is None
            else tuple(
                RoundLine(
                    str(Period(r.period).label),
                    _grades(scheme, r.grades),
                    r.count,
                    "—" if r.points is None else fmt2(r.points),
                )
                for r in k.rounds
            )
        )
        kinds.append(
            KindLine(
                code,
                kind.name,
                fmt2(kind.points[d.type]),
                kind.rates(d.type),
                rounds,
                fmt2(d.evaluation[code]),
                f"no_grades:{code}" in d.flags,
            )
        )
    return Trail(
        code=d.code,
        name=d.name,
        rank=d.rank,
        previous_rank=d.previous_rank,
        total=fmt2(d.total),
        content=fmt2(d.content),
        evaluation_total=fmt2(d.evaluation_total),
        adjustment=fmt2(d.adjustment),
        categories=categories,
        kinds=tuple(kinds),
        adjustments=tuple((fmt2(a.amount), a.reason, a.meeting or "") for a in d.adjustments),
        vetoes=tuple((scheme.veto_reasons.get(v.reason, v.reason), v.note or "") for v in d.vetoes),
        honors=honor_names(honors if honors is not None else list(d.honors)),
        flags=flag_names(d.flags),
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
) -> list[Trail]:
    """Trails of the departments in `codes` (all when None), in ranking order."""
    return [
        department_trail(d, bundle, list(honors.get(d.code, d.honors)))
        for d in results.departments
        if codes is None or d.code in codes
    ]
