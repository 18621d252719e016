"""The engine's results, with the trail that explains every number."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kaohe.engine.bundle import Adjustment, Veto
from kaohe.engine.numbers import fmt2
from kaohe.engine.vocabulary import KINDS

RESULTS_FORMAT = "kaohe-results/1"


@dataclass(frozen=True)
class EntryTrail:
    """One entry's part in a category: its amount and whether it counted. A bonus of a
    same-work group (rules.md §3) names the group; one that does not count names the entry
    (its index in the bundle) that counts instead, the first of the largest."""

    index: int
    rule: str
    period: str
    is_bonus: bool
    amount: Fraction
    counted: bool
    same_work: str | None = None
    instead: int | None = None


@dataclass(frozen=True)
class CategoryTrail:
    """How a category's score came about: points, deductions before the cap, bonuses."""

    code: str
    points: Fraction
    deductions: Fraction
    bonuses: Fraction
    score: Fraction
    entries: tuple[EntryTrail, ...]

    @property
    def capped(self) -> bool:
        """Whether the deduction cap cut the deductions."""
        return self.deductions > self.points

    @property
    def deductions_applied(self) -> Fraction:
        """Deductions after the cap."""
        return min(self.points, self.deductions)


@dataclass(frozen=True)
class RoundTrail:
    """One evaluation round for one department: its valid grades and the points they make."""

    period: str
    weight: Fraction
    grades: Mapping[str, int]
    dropped: tuple[str, ...]
    points: Fraction | None

    @property
    def count(self) -> int:
        """Number of valid grades counted."""
        return sum(self.grades.values())


@dataclass(frozen=True)
class KindTrail:
    """One evaluation kind for one department: points available, rounds, score."""

    code: str
    available: Fraction
    rounds: tuple[RoundTrail, ...]
    score: Fraction


@dataclass(frozen=True)
class DepartmentResult:
    """A department's figures, rank, honors and flags, with the trail behind them."""

    code: str
    name: str
    type: str
    categories: Mapping[str, Fraction]
    content: Fraction
    evaluation: Mapping[str, Fraction]
    evaluation_total: Fraction
    adjustment: Fraction
    total: Fraction
    rank: int
    honors: tuple[str, ...]
    vetoed: bool
    flags: tuple[str, ...]
    previous_rank: int | None
    vetoes: tuple[Veto, ...]
    adjustments: tuple[Adjustment, ...]
    category_trails: tuple[CategoryTrail, ...]
    kind_trails: tuple[KindTrail, ...]

    @property
    def rise(self) -> int | None:
        """Places gained since last year (positive is better), if ranked last year."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


@dataclass(frozen=True)
class RoundTurnout:
    """Ballots received in one round: all, blank, and invalid under the scheme's options."""

    kind: str
    period: str
    ballots: int
    blank: int
    invalid: int


@dataclass(frozen=True)
class Results:
    """One year's results, departments ordered by rank then code."""

    year: int
    scheme_id: str
    departments: tuple[DepartmentResult, ...]
    turnout: tuple[RoundTurnout, ...]

    def get(self, code: str) -> DepartmentResult:
        """A department's result by code; KeyError if absent."""
        for d in self.departments:
            if d.code == code:
                return d
        raise KeyError(code)

    @property
    def complete(self) -> bool:
        """False when some kind had no grades for a department (results cannot be confirmed)."""
        return not any(f.startswith("no_grades:") for d in self.departments for f in d.flags)


def results_document(results: Results) -> dict[str, Any]:
    """The `kaohe-results/1` document (bundle.md, Output)."""
    return {
        "format": RESULTS_FORMAT,
        "year": results.year,
        "scheme": results.scheme_id,
        "departments": [
            {
                "code": d.code,
                "categories": {k: fmt2(v) for k, v in d.categories.items()},
                "content": fmt2(d.content),
                "evaluation": {k: fmt2(d.evaluation[k]) for k in KINDS},
                "evaluation_total": fmt2(d.evaluation_total),
                "adjustment": fmt2(d.adjustment),
                "total": fmt2(d.total),
                "rank": d.rank,
                "honors": list(d.honors),
                "vetoed": d.vetoed,
                "flags": list(d.flags),
            }
            for d in results.departments
        ],
    }
