"""The evaluation part (综合测评): ballots tallied per kind and round (rules.md §2)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from fractions import Fraction

from kaohe.engine.bundle import Ballot, Department
from kaohe.engine.results import KindTrail, RoundTrail, RoundTurnout
from kaohe.engine.scheme import KINDS, Options, Scheme

Tally = dict[tuple[str, str], Counter[tuple[str, str]]]


def tally_ballots(scheme: Scheme, ballots: Iterable[Ballot]) -> tuple[Tally, list[RoundTurnout]]:
    """Count valid grades per (kind, round); blank ballots and invalid ones only in turnout."""
    tally: Tally = {(k.code, r.period): Counter() for k in scheme.kinds.values() for r in k.rounds}
    blank: Counter[tuple[str, str]] = Counter()
    invalid: Counter[tuple[str, str]] = Counter()
    received: Counter[tuple[str, str]] = Counter()
    share = scheme.options.excellent_max_share
    for b in ballots:
        key = (b.kind, b.round)
        received[key] += 1
        if not b.grades:
            blank[key] += 1
        elif share is not None and _too_many_excellent(b.grades, share):
            invalid[key] += 1
        else:
            tally[key].update(b.grades.items())
    turnout = [
        RoundTurnout(
            kind, period, received[(kind, period)], blank[(kind, period)], invalid[(kind, period)]
        )
        for kind, period in tally
    ]
    return tally, turnout


def _too_many_excellent(grades: Mapping[str, str], share: Fraction) -> bool:
    """A ballot giving `excellent` to more than `share` of the departments it marks is invalid."""
    excellent = sum(1 for g in grades.values() if g == "excellent")
    return excellent > share * len(grades)


def department_grades(tally: Tally) -> dict[tuple[str, str, str], dict[str, int]]:
    """Regroup a tally as (kind, round, department) → grade → count."""
    out: dict[tuple[str, str, str], dict[str, int]] = {}
    for (kind, period), counter in tally.items():
        for (code, grade), n in counter.items():
            out.setdefault((kind, period, code), {})[grade] = n
    return out


def evaluation_scores(
    scheme: Scheme,
    departments: Iterable[Department],
    grades: Mapping[tuple[str, str, str], Mapping[str, int]],
) -> dict[str, tuple[dict[str, Fraction], tuple[KindTrail, ...], tuple[str, ...]]]:
    """Each department's points per kind, their trails, and `no_grades:<kind>` flags."""
    out = {}
    for d in departments:
        scores: dict[str, Fraction] = {}
        trails: list[KindTrail] = []
        flags: list[str] = []
        for code in KINDS:
            kind = scheme.kinds[code]
            available = kind.points[d.type]
            rounds = tuple(
                _round(
                    scheme, available, r.period, r.weight, grades.get((code, r.period, d.code), {})
                )
                for r in kind.rounds
            )
            held = [r for r in rounds if r.points is not None]
            score: Fraction | None
            if len(held) == 1:  # its weight × points / its weight: the points, exactly
                score = held[0].points
            elif held:
                weight = sum((r.weight for r in held), Fraction(0))
                score = (
                    sum((r.weight * r.points for r in held if r.points is not None), Fraction(0))
                    / weight
                )
            else:
                score = Fraction(0)
                if available > 0:
                    flags.append(f"no_grades:{code}")
            assert score is not None
            scores[code] = score
            trails.append(KindTrail(code, available, rounds, score))
        out[d.code] = (scores, tuple(trails), tuple(flags))
    return out


def _round(
    scheme: Scheme, available: Fraction, period: str, weight: Fraction, counts: Mapping[str, int]
) -> RoundTrail:
    """One round for one department: points × mean coefficient of its valid grades."""
    kept, dropped = _drop_extremes(scheme, scheme.options, dict(counts))
    n = sum(kept.values())
    if n == 0 or available == 0:
        return RoundTrail(period, weight, kept, dropped, None)
    # available × Σ coefficient × count / n, over one common denominator: one Fraction, not ten
    numerator, denominator = 0, 1
    for g, c in kept.items():
        coefficient = scheme.grades[g].coefficient
        numerator = numerator * coefficient.denominator + coefficient.numerator * c * denominator
        denominator *= coefficient.denominator
    points = Fraction(available.numerator * numerator, available.denominator * denominator * n)
    return RoundTrail(period, weight, kept, dropped, points)


def _drop_extremes(
    scheme: Scheme, options: Options, counts: dict[str, int]
) -> tuple[dict[str, int], tuple[str, ...]]:
    """Drop one highest and one lowest grade when the department has at least N grades."""
    n = sum(counts.values())
    if options.drop_extremes_min_grades is None or n < options.drop_extremes_min_grades:
        return counts, ()
    present = sorted(
        (g for g, c in counts.items() if c > 0), key=lambda g: scheme.grades[g].coefficient
    )
    lowest, highest = present[0], present[-1]
    counts[highest] -= 1
    counts[lowest] -= 1
    return {g: c for g, c in counts.items() if c > 0}, (highest, lowest)
