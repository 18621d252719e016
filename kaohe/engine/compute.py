"""compute(): one year's results from a bundle — the single source of every score.

`settle()` is the same computation for a user interface that is still gathering the party
group's decisions: a decision that does not fit is left out and reported instead of refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from kaohe.engine.bundle import Bundle, Department
from kaohe.engine.content import content_scores
from kaohe.engine.decisions import Decisions, RecommendedChoice, TieGroup
from kaohe.engine.evaluation import department_grades, evaluation_scores, tally_ballots
from kaohe.engine.honors import award_honors
from kaohe.engine.numbers import exact_sum
from kaohe.engine.problems import InvalidInput, Problem
from kaohe.engine.ranking import Standing, rank
from kaohe.engine.results import (
    CategoryTrail,
    DepartmentResult,
    KindTrail,
    Results,
)
from kaohe.engine.vocabulary import FLAGS, HONORS


@dataclass(frozen=True)
class Settlement:
    """Results with the valid decisions applied, the tied groups met tier by tier, whom the
    party group recommends from, and the decisions that did not fit (left out)."""

    results: Results
    groups: tuple[TieGroup, ...]
    recommended: RecommendedChoice
    applied: Decisions
    problems: tuple[Problem, ...]

    @property
    def open_groups(self) -> tuple[TieGroup, ...]:
        """The groups still waiting for the party group's decision, in the order of the tiers."""
        return tuple(g for g in self.groups if not g.settled)


def compute(bundle: Bundle, *, trail: bool = True) -> Results:
    """Scores, ranks, honors and flags of every department (rules.md); `trail` keeps the why.

    InvalidInput lists every decision of the bundle that does not fit its ranking."""
    settlement = settle(bundle, trail=trail)
    if settlement.problems:
        raise InvalidInput(list(settlement.problems))
    return settlement.results


def settle(bundle: Bundle, *, trail: bool = True) -> Settlement:
    """The results with every decision of the bundle that fits applied, and what remains open."""
    scheme = bundle.scheme
    content = content_scores(scheme, bundle.departments, bundle.entries, trail=trail)
    tally, turnout = tally_ballots(scheme, bundle.ballots)
    evaluation = evaluation_scores(scheme, bundle.departments, department_grades(tally))
    adjustment = {d.code: Fraction(0) for d in bundle.departments}
    for a in bundle.adjustments:
        adjustment[a.department] += a.amount
    vetoed = {v.department for v in bundle.vetoes}
    standings = []
    for d in bundle.departments:
        content_total = exact_sum(content[d.code][0].values())
        evaluation_total = exact_sum(evaluation[d.code][0].values())
        total = exact_sum((content_total, evaluation_total, adjustment[d.code]))
        key = (total, content_total, evaluation_total)
        standings.append(Standing(d.code, key, d.code in vetoed, bundle.previous_ranks.get(d.code)))
    ordered = rank(standings)
    honors = award_honors(ordered, scheme.honors, bundle.decisions)
    by_code = {d.code: d for d in bundle.departments}
    results = tuple(
        _result(bundle, by_code[s.code], s, content, evaluation, adjustment, trail) for s in ordered
    )
    return Settlement(
        Results(bundle.year, scheme.id, results, tuple(turnout)),
        honors.groups,
        honors.recommended,
        honors.applied,
        honors.problems,
    )


def _result(
    bundle: Bundle,
    d: Department,
    s: Standing,
    content: dict[str, tuple[dict[str, Fraction], tuple[CategoryTrail, ...]]],
    evaluation: dict[str, tuple[dict[str, Fraction], tuple[KindTrail, ...], tuple[str, ...]]],
    adjustment: dict[str, Fraction],
    trail: bool,
) -> DepartmentResult:
    categories, category_trails = content[d.code]
    kinds, kind_trails, no_grades = evaluation[d.code]
    flags = s.flags | set(no_grades)
    return DepartmentResult(
        code=d.code,
        name=d.name,
        type=d.type,
        categories=categories,
        content=s.key[1],
        evaluation=kinds,
        evaluation_total=s.key[2],
        adjustment=adjustment[d.code],
        total=s.key[0],
        rank=s.rank,
        honors=tuple(h for h in HONORS if h in s.honors),
        vetoed=s.vetoed,
        flags=tuple(f for f in FLAGS if f in flags),
        previous_rank=s.previous_rank,
        vetoes=tuple(v for v in bundle.vetoes if v.department == d.code) if trail else (),
        adjustments=tuple(a for a in bundle.adjustments if a.department == d.code) if trail else (),
        category_trails=category_trails,
        kind_trails=kind_trails if trail else (),
    )
