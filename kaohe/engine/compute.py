"""compute(): one year's results from a bundle — the single source of every score."""

from __future__ import annotations

from fractions import Fraction

from kaohe.engine.bundle import Bundle
from kaohe.engine.content import content_scores
from kaohe.engine.evaluation import department_grades, evaluation_scores, tally_ballots
from kaohe.engine.numbers import exact_sum
from kaohe.engine.ranking import Standing, rank_and_honor
from kaohe.engine.results import HONOR_ORDER, DepartmentResult, Results
from kaohe.engine.scheme import KINDS

FLAG_ORDER = ("tie", "boundary_tie", *(f"no_grades:{k}" for k in KINDS))


def compute(bundle: Bundle, *, trail: bool = True) -> Results:
    """Scores, ranks, honors and flags of every department (rules.md); `trail` keeps the why."""
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
    ordered = rank_and_honor(standings, scheme.honors)
    by_code = {d.code: d for d in bundle.departments}
    results = []
    for s in ordered:
        d = by_code[s.code]
        categories, category_trails = content[d.code]
        kinds, kind_trails, no_grades = evaluation[d.code]
        flags = s.flags | set(no_grades)
        results.append(
            DepartmentResult(
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
                honors=tuple(h for h in HONOR_ORDER if h in s.honors),
                vetoed=s.vetoed,
                flags=tuple(f for f in FLAG_ORDER if f in flags),
                previous_rank=s.previous_rank,
                vetoes=tuple(v for v in bundle.vetoes if v.department == d.code) if trail else (),
                adjustments=tuple(a for a in bundle.adjustments if a.department == d.code)
                if trail
                else (),
                category_trails=category_trails,
                kind_trails=kind_trails if trail else (),
            )
        )
    return Results(bundle.year, scheme.id, tuple(results), tuple(turnout))
