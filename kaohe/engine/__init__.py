"""The scoring engine: pure functions over frozen dataclasses, no framework.

The web application and `kaohe compute` both call `compute()`, so they cannot disagree.
"""

from __future__ import annotations

from kaohe.engine.bundle import Bundle, parse_bundle, parse_bundle_bytes
from kaohe.engine.compute import Settlement, compute, settle
from kaohe.engine.decisions import Decisions, RecommendedChoice, TieGroup
from kaohe.engine.problems import InvalidInput, Problem
from kaohe.engine.results import DepartmentResult, Results
from kaohe.engine.scheme import Scheme, builtin_scheme, builtin_scheme_ids, parse_scheme

__all__ = [
    "Bundle",
    "Decisions",
    "DepartmentResult",
    "InvalidInput",
    "Problem",
    "RecommendedChoice",
    "Results",
    "Scheme",
    "Settlement",
    "TieGroup",
    "builtin_scheme",
    "builtin_scheme_ids",
    "compute",
    "parse_bundle",
    "parse_bundle_bytes",
    "parse_scheme",
    "settle",
]
