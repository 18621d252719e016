"""The bundle's values (docs/bundle.md): departments, entries, ballots, adjustments, vetoes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

from kaohe.engine.decisions import Decisions
from kaohe.engine.scheme import Scheme
from kaohe.engine.vocabulary import DECISION_WORDS

BUNDLE_FORMAT = "kaohe-bundle/1"
TOP_REQUIRED = {"format", "year", "scheme", "departments"}
TOP_OPTIONAL = {"entries", "ballots", "adjustments", "vetoes", "previous_ranks", "decisions"}
DEPARTMENT_KEYS = {"code", "name", "type", "parent"}
ENTRY_CORE = {"department", "rule", "period", "count", "amount", "actual", "modifiers", "same_work"}
# Optional fields the product adds to an entry (docs/bundle.md): all strings or lists of strings.
ENTRY_TEXT = {"id", "office", "description", "decided_by", "meeting"}
ENTRY_LISTS = {"persons", "evidence"}
ENTRY_KEYS = ENTRY_CORE | ENTRY_TEXT | ENTRY_LISTS
# Every text field of an entry a product stores: a lone surrogate in any would fail to be written.
ENTRY_TEXTS = ("same_work", *sorted(ENTRY_TEXT), *sorted(ENTRY_LISTS))
# How the assessment office decided a range amount (考核办集体评议, or 无记名投票).
DECISION_METHODS = tuple(DECISION_WORDS.values())
ENTRY_REQUIRED = frozenset({"department", "rule", "period"})
BALLOT_KEYS = {"kind", "round", "grades", "id", "group"}
ADJUSTMENT_KEYS = {"department", "amount", "reason", "meeting", "id"}
VETO_KEYS = {"department", "reason", "note", "id"}


class Department(NamedTuple):
    """An assessed department of the year."""

    code: str
    name: str
    type: str
    parent: str | None = None


class Entry(NamedTuple):
    """A recorded deduction or bonus; `extra` holds the product's optional descriptive fields."""

    department: str
    rule: str
    period: str
    quantity: int
    amount: Fraction | None
    actual: int | None
    modifier: str | None
    same_work: str | None
    extra: Mapping[str, Any]
    has_count: bool = False


class Ballot(NamedTuple):
    """One voter's ballot: department code → grade; departments left out are abstentions."""

    kind: str
    round: str
    grades: Mapping[str, str]
    id: str | None = None
    group: str | None = None


class Adjustment(NamedTuple):
    """A signed amount decided by the party group, with its reason."""

    department: str
    amount: Fraction
    reason: str
    meeting: str | None = None
    id: str | None = None


class Veto(NamedTuple):
    """A one-vote-veto event of the year."""

    department: str
    reason: str
    note: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Bundle:
    """Everything that decides one year's results."""

    year: int
    scheme: Scheme
    departments: tuple[Department, ...]
    entries: tuple[Entry, ...] = ()
    ballots: tuple[Ballot, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    previous_ranks: Mapping[str, int] = field(default_factory=dict)
    scheme_inline: bool = False
    decisions: Decisions = field(default_factory=Decisions)
