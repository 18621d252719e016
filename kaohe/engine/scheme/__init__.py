"""The assessment scheme as data: categories, items, rules, evaluation kinds, honors, vetoes.

A scheme is a JSON document (format `kaohe-scheme/1`, documented in docs/scheme.md). Loading it
checks everything and names every problem with its location; the result is a frozen `Scheme`.

    model       the values and the vocabularies (periods, kinds, directions …)
    read        the reader (base: shared checks, rules: the content part, evaluation: the rest)
    text        Unicode text in JSON
    diff        what changed between two schemes
    builtin     the schemes shipped in the package
"""

from __future__ import annotations

from kaohe.engine.problems import InvalidInput
from kaohe.engine.scheme.builtin import builtin_scheme, builtin_scheme_ids
from kaohe.engine.scheme.diff import CHANGE_CODES, Change, scheme_diff
from kaohe.engine.scheme.model import (
    DEPARTMENT_TYPES,
    DIRECTIONS,
    HALF_YEARS,
    HONOR_KEYS,
    KINDS,
    PERIODS,
    RULE_KINDS,
    SCHEME_FORMAT,
    VETO_REASONS,
    Category,
    EvaluationKind,
    Grade,
    HonorSizes,
    Item,
    Modifier,
    Options,
    Round,
    Rule,
    Scheme,
)
from kaohe.engine.scheme.read import parse_scheme
from kaohe.engine.scheme.text import NOT_UNICODE, is_unicode_text

__all__ = [
    "CHANGE_CODES",
    "Change",
    "scheme_diff",
    "DEPARTMENT_TYPES",
    "DIRECTIONS",
    "HALF_YEARS",
    "HONOR_KEYS",
    "KINDS",
    "NOT_UNICODE",
    "PERIODS",
    "RULE_KINDS",
    "SCHEME_FORMAT",
    "VETO_REASONS",
    "Category",
    "EvaluationKind",
    "Grade",
    "HonorSizes",
    "InvalidInput",
    "Item",
    "Modifier",
    "Options",
    "Round",
    "Rule",
    "Scheme",
    "builtin_scheme",
    "builtin_scheme_ids",
    "is_unicode_text",
    "parse_scheme",
]
