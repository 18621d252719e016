"""The party group's decisions (rules.md §5.5, bundle.md `decisions`): input to the honors.

`recommended` replaces the proposed recommended departments; `ties` settles, per tier, a tied
group straddling that tier's boundary by naming who of it keeps the honor.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kaohe.engine.problems import Problems

TIE_TIERS = ("advanced", "praised", "progress", "bottom")
DECISION_KEYS = {"recommended", "ties"}


@dataclass(frozen=True)
class Decisions:
    """What the party group decided: whom it recommends, and who of each tied group keeps a tier."""

    recommended: tuple[str, ...] | None = None
    ties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.recommended is not None or bool(self.ties)


@dataclass(frozen=True)
class TieGroup:
    """Departments tied across a tier's boundary as they stand after the decisions before it:
    `left` places remained for them; `settled` when a valid decision chose who keeps the tier."""

    tier: str
    codes: tuple[str, ...]
    left: int
    settled: bool


@dataclass(frozen=True)
class RecommendedChoice:
    """Whom the party group recommends from (the advanced, in ranking order) and how many."""

    candidates: tuple[str, ...]
    count: int
    decided: bool


def decisions_document(decisions: Decisions) -> dict[str, Any]:
    """Canonical bundle form: tiers in rules.md's order, codes in code-point order."""
    doc: dict[str, Any] = {}
    if decisions.recommended is not None:
        doc["recommended"] = sorted(decisions.recommended)
    ties = {t: sorted(decisions.ties[t]) for t in TIE_TIERS if t in decisions.ties}
    if ties:
        doc["ties"] = ties
    return doc


def _got(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


Checker = Callable[[object, str, set[str], set[str]], "dict[str, Any] | None"]


def read_decisions(
    value: object, codes: Mapping[str, object], problems: Problems, obj: Checker
) -> Decisions:
    """The `decisions` field, checked for form (a list of known, distinct codes per part);
    whether the decisions fit the year's ranking is for the computation to say."""
    d = obj(value, "decisions", DECISION_KEYS, set())
    if d is None:
        return Decisions()
    recommended = None
    if "recommended" in d:
        recommended = _codes(d["recommended"], "decisions.recommended", codes, problems)
    ties: dict[str, tuple[str, ...]] = {}
    raw = d.get("ties", {})
    if not isinstance(raw, dict):
        got = _got(raw)
        message = f"must be an object of tier → codes, got {got}"
        problems.add("decisions.ties", message, "decision_ties", got=got)
        raw = {}
    for tier in sorted(raw.keys() - set(TIE_TIERS)):
        tiers = ", ".join(TIE_TIERS)
        message = f"unknown tier {tier!r} (tiers: {tiers})"
        problems.add("decisions.ties", message, "decision_tier", tier=tier, tiers=tiers)
    obj(raw, "decisions.ties", set(raw), set())  # repeated tiers
    for tier in TIE_TIERS:
        if tier in raw:
            ties[tier] = _codes(raw[tier], f"decisions.ties.{tier}", codes, problems)
    return Decisions(recommended, ties)


def _codes(
    value: object, path: str, known: Mapping[str, object], problems: Problems
) -> tuple[str, ...]:
    if not isinstance(value, list) or any(type(c) is not str for c in value):
        got = _got(value)
        problems.add(
            path, f"must be a list of department codes, got {got}", "decision_codes", got=got
        )
        return ()
    seen: set[str] = set()
    for code in value:
        if code not in known:
            problems.add(
                path, f"unknown department {code!r}", "decision_unknown_department", department=code
            )
        elif code in seen:
            problems.add(
                path, f"department {code} is listed twice", "decision_repeated", department=code
            )
        seen.add(code)
    return tuple(value)
