"""The assessment scheme's values: categories, items, rules, evaluation kinds, honors, vetoes."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

# The codes of kaohe.engine.vocabulary, re-exported for the readers of this package.
from kaohe.engine.vocabulary import HONORS
from kaohe.engine.vocabulary import KINDS as KINDS
from kaohe.engine.vocabulary import RULE_KINDS as RULE_KINDS
from kaohe.engine.vocabulary import VETO_REASONS as VETO_REASONS

SCHEME_FORMAT = "kaohe-scheme/1"
DEPARTMENT_TYPES = ("service", "general")
PERIODS = ("H1", "H2", "year")
HALF_YEARS = ("H1", "H2")
DIRECTIONS = ("deduct", "bonus")
HONOR_KEYS = HONORS


@dataclass(frozen=True)
class Modifier:
    """A factor applied to one entry's amount, e.g. `short` ×0.5 for a short article."""

    code: str
    name: str
    factor: Fraction


@dataclass(frozen=True)
class Rule:
    """One way an item deducts or adds points."""

    id: str
    name: str
    category: str
    item: int
    direction: str
    kind: str
    unit: str
    amount: Fraction | None
    min: Fraction | None
    max: Fraction | None
    quota: Mapping[str, int]
    modifiers: Mapping[str, Modifier]
    once_a_year: bool
    offices: tuple[str, ...]

    @property
    def is_bonus(self) -> bool:
        """Whether the rule adds points."""
        return self.direction == "bonus"


@dataclass(frozen=True)
class Item:
    """A numbered assessment item (1–18 in 2016) with its responsible offices."""

    number: int
    title: str
    offices: tuple[str, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Category:
    """A category of the content part, starting at its full points."""

    code: str
    name: str
    points: Fraction
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Grade:
    """A grade of the ballot scale and its coefficient."""

    code: str
    name: str
    coefficient: Fraction


@dataclass(frozen=True)
class Round:
    """A round of an evaluation kind, held in a period, with its weight."""

    period: str
    weight: Fraction


@dataclass(frozen=True)
class EvaluationKind:
    """Democratic, style or leader evaluation: points per department type and its rounds."""

    code: str
    name: str
    voters: str
    points: Mapping[str, Fraction]
    rounds: tuple[Round, ...]

    def rates(self, department_type: str) -> bool:
        """Whether departments of this type are rated in this kind (points > 0)."""
        return self.points[department_type] > 0

    def round(self, period: str) -> Round | None:
        """The round held in `period`, if the kind has one."""
        return next((r for r in self.rounds if r.period == period), None)


@dataclass(frozen=True)
class Options:
    """Optional ballot rules, off (None) by default."""

    drop_extremes_min_grades: int | None
    excellent_max_share: Fraction | None


@dataclass(frozen=True)
class HonorSizes:
    """How many departments each honor takes."""

    advanced: int
    recommended: int
    praised: int
    progress: int
    bottom: int


@dataclass(frozen=True)
class Scheme:
    """A whole, validated scheme; `document` is the JSON it came from, for copying and export."""

    id: str
    name: str
    year: int | None
    offices: Mapping[str, str]
    department_types: Mapping[str, str]
    categories: tuple[Category, ...]
    grades: Mapping[str, Grade]
    kinds: Mapping[str, EvaluationKind]
    options: Options
    honors: HonorSizes
    veto_reasons: Mapping[str, str]
    document: Mapping[str, Any] = field(repr=False, compare=False)
    rules: Mapping[str, Rule] = field(init=False, repr=False, compare=False)
    items: Mapping[int, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items = {i.number: i for c in self.categories for i in c.items}
        rules = {r.id: r for i in items.values() for r in i.rules}
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "rules", rules)

    def copy_document(self, *, new_id: str, year: int | None = None) -> dict[str, Any]:
        """A deep copy of the scheme's document under a new id, to be edited for a new year."""
        doc = copy.deepcopy(dict(self.document))
        doc["id"] = new_id
        if year is not None:
            doc["year"] = year
        return doc


# --- loading -----------------------------------------------------------------------------
