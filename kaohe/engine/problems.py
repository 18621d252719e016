"""Problems found in input, each with its JSON location, a plain sentence, a code and parameters.

The engine words its problems in English for `kaohe compute`; a user interface words them in its
own language by `code`, with `params` (kaohe/core/problems.py for the web's Chinese). Every code
the engine can give is listed in CODES, so that a catalogue can be checked to miss none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Codes of JSON's shape and of any document (bundle or scheme), with their parameters.
_GENERAL = {
    "not_utf8": "byte",
    "not_json": "detail",
    "not_object": "",
    "not_list": "",
    "not_string": "",
    "not_text": "",
    "not_unicode": "",
    "field_twice": "key",
    "field_missing": "key",
    "field_unknown": "key",
    "nested_too_deeply": "",
}
# Codes of the bundle (docs/bundle.md).
_BUNDLE = {
    "bundle_format": "expected got",
    "bundle_year": "min max got",
    "scheme_unknown": "scheme known",
    "scheme_reference": "",
    "department_twice": "department",
    "department_type": "got",
    "department_unknown": "got",
    "previous_rank_unknown": "department",
    "previous_rank": "max got",
    "entry_rule_unknown": "got scheme",
    "entry_period": "got",
    "entry_count": "max got",
    "entry_count_max": "max got",
    "entry_modifiers": "got",
    "entry_strings": "",
    "entry_amount_missing": "rule min max",
    "entry_amount_range": "rule min max got",
    "entry_amount_not_range": "rule",
    "entry_half_year": "rule got",
    "entry_actual_missing": "rule",
    "entry_actual": "max got",
    "entry_actual_max": "max got",
    "entry_actual_not_shortfall": "rule",
    "entry_count_shortfall": "rule",
    "entry_shortfall_twice": "department rule period other",
    "entry_modifier": "rule got allowed",
    "entry_same_work_deduction": "rule",
    "entry_once_count": "rule got",
    "entry_once_twice": "department rule other",
    "entry_office": "rule office offices",
    "entry_persons_count": "rule names count",
    "entry_decided_not_range": "rule",
    "entry_decided_by": "methods got",
    "ballot_kind": "got",
    "ballot_round": "kind got scheme rounds",
    "ballot_grades": "got",
    "ballot_graded_twice": "department",
    "ballot_department_unknown": "department",
    "ballot_department_not_rated": "department kind",
    "ballot_grade": "got grades",
    "adjustment_amount": "got",
    "adjustment_range": "max got",
    "adjustment_reason": "",
    "veto_reason": "reasons got",
}
# Codes of the party group's decisions (kaohe/engine/decisions.py, kaohe/engine/honors.py).
_DECISIONS = {
    "decision_ties": "got",
    "decision_tier": "tier tiers",
    "decision_codes": "got",
    "decision_unknown_department": "department",
    "decision_repeated": "department",
    "decision_no_tie": "tier",
    "decision_not_in_group": "department tier",
    "decision_too_few": "tier left kept",
    "recommended_not_advanced": "department",
    "recommended_count": "count given",
}
# Codes of the scheme (docs/scheme.md).
_SCHEME = {
    "scheme_format": "codes",
    "number": "got",
    "number_positive": "got",
    "number_negative": "got",
    "integer": "min got",
    "office_codes": "",
    "office_unknown": "code",
    "office_twice": "",
    "named_map": "",
    "empty_code": "",
    "department_types": "codes",
    "veto_reasons": "codes",
    "categories": "",
    "code_twice": "code",
    "item_twice": "code",
    "rule_direction": "",
    "rule_kind": "",
    "rule_needs": "kind key",
    "rule_must_not_have": "kind key",
    "rule_min_max": "",
    "boolean": "",
    "shortfall_once": "",
    "shortfall_modifiers": "",
    "modifiers_map": "",
    "grades": "",
    "share": "",
    "kind_code": "codes",
    "kind_missing": "code",
    "rounds": "",
    "round_period": "",
    "excellent_grade": "",
    "honors_recommended": "",
}
# Every code, with the names of its parameters.
CODES: Mapping[str, tuple[str, ...]] = {
    code: tuple(params.split())
    for group in (_GENERAL, _BUNDLE, _DECISIONS, _SCHEME)
    for code, params in group.items()
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, at a JSON location such as `entries[12].amount`.

    `code` (one of CODES) and `params` let a user interface word the problem in its language.
    """

    location: str
    message: str
    code: str = field(default="", compare=False)
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    def at(self, path: str) -> Problem:
        """The same problem, found inside the object at `path` (its location made relative to it)."""
        location = f"{path}.{self.location}" if self.location else path
        return Problem(location, self.message, self.code, self.params)


class InvalidInput(Exception):
    """Raised with every problem found; nothing was computed or stored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Problems:
    """Collects problems while a document is checked, so all of them can be reported at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, location: str, message: str, code: str, /, **params: Any) -> None:
        """Record one problem with its code (one of CODES) and parameters."""
        assert code in CODES and params.keys() >= set(CODES[code]), (code, params)
        self.items.append(Problem(location, message, code, params))

    def raise_if_any(self) -> None:
        """Raise InvalidInput if anything was recorded."""
        if self.items:
            raise InvalidInput(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
