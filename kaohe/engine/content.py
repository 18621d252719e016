"""The content part (考核内容): entry amounts, same-work groups, the deduction cap, bonuses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from kaohe.engine.bundle import Department, Entry
from kaohe.engine.results import CategoryTrail, EntryTrail
from kaohe.engine.scheme import Rule, Scheme

# Every amount is a decimal of at most 12 places times a decimal factor of at most 12 places,
# so it is an exact integer number of 10**-24 points: sums run on integers at that scale.
SCALE = 10**24


def entry_amount(rule: Rule, entry: Entry, department_type: str) -> Fraction:
    """One entry's amount (rules.md §3): positive, subtracted for deductions, added for bonuses."""
    return Fraction(_unit_scaled(rule, entry) * _units(rule, entry, department_type), SCALE)


def _unit_scaled(rule: Rule, entry: Entry) -> int:
    """The amount per unit (decided amount for range rules, modifier applied), at SCALE."""
    base = entry.amount if rule.kind == "range" else rule.amount
    assert base is not None
    factor = rule.modifiers[entry.modifier].factor if entry.modifier else Fraction(1)
    scaled = base * factor * SCALE
    assert scaled.denominator == 1, "amounts have at most 12 decimal places"
    return scaled.numerator


def _units(rule: Rule, entry: Entry, department_type: str) -> int:
    """How many units the entry counts: its count, or the missing quota for shortfall rules."""
    if rule.kind == "shortfall":
        assert entry.actual is not None
        return max(0, rule.quota[department_type] - entry.actual)
    return entry.quantity


@dataclass
class _Sums:
    deductions: int = 0
    bonuses: int = 0


def content_scores(
    scheme: Scheme, departments: Iterable[Department], entries: Iterable[Entry], *, trail: bool
) -> dict[str, tuple[dict[str, Fraction], tuple[CategoryTrail, ...]]]:
    """Each department's category scores (and trails): points − min(points, deductions) + bonuses."""
    types = {d.code: d.type for d in departments}
    sums = {code: {c.code: _Sums() for c in scheme.categories} for code in types}
    trails: dict[tuple[str, str], list[EntryTrail]] = {}
    groups: dict[tuple[str, int, str], list[tuple[int, int, Entry, Rule]]] = {}
    rules = scheme.rules
    unit_cache: dict[tuple[str, str | None, Fraction | None], int] = {}
    for index, e in enumerate(entries):
        rule = rules[e.rule]
        key = (e.rule, e.modifier, e.amount)
        unit = unit_cache.get(key)
        if unit is None:
            unit = unit_cache[key] = _unit_scaled(rule, e)
        value = unit * _units(rule, e, types[e.department])
        if e.same_work and rule.is_bonus:
            groups.setdefault((e.department, rule.item, e.same_work), []).append(
                (index, value, e, rule)
            )
            continue
        _add(sums, trails, index, e, rule, value, trail, "")
    for (_, _, work), members in groups.items():
        best = max(members, key=lambda m: m[1])  # the first of equal largest amounts counts
        for index, value, e, rule in members:
            if (index, value) == best[:2]:
                _add(sums, trails, index, e, rule, value, trail, f"same_work:{work}")
            elif trail:
                note = f"same_work:{work}; entries[{best[0]}] is larger or equal and counts instead"
                trails.setdefault((e.department, rule.category), []).append(
                    EntryTrail(index, e.rule, e.period, True, Fraction(value, SCALE), False, note)
                )
    return {code: _scores(scheme, sums[code], trails, code, trail) for code in types}


def _add(
    sums: Mapping[str, Mapping[str, _Sums]],
    trails: dict[tuple[str, str], list[EntryTrail]],
    index: int,
    e: Entry,
    rule: Rule,
    value: int,
    trail: bool,
    note: str,
) -> None:
    s = sums[e.department][rule.category]
    if rule.is_bonus:
        s.bonuses += value
    else:
        s.deductions += value
    if trail:
        trails.setdefault((e.department, rule.category), []).append(
            EntryTrail(index, e.rule, e.period, rule.is_bonus, Fraction(value, SCALE), True, note)
        )


def _scores(
    scheme: Scheme,
    sums: Mapping[str, _Sums],
    trails: Mapping[tuple[str, str], list[EntryTrail]],
    code: str,
    trail: bool,
) -> tuple[dict[str, Fraction], tuple[CategoryTrail, ...]]:
    scores: dict[str, Fraction] = {}
    out: list[CategoryTrail] = []
    for c in scheme.categories:
        deductions = Fraction(sums[c.code].deductions, SCALE)
        bonuses = Fraction(sums[c.code].bonuses, SCALE)
        score = c.points - min(c.points, deductions) + bonuses
        scores[c.code] = score
        if trail:
            entries = tuple(sorted(trails.get((code, c.code), []), key=lambda t: t.index))
            out.append(CategoryTrail(c.code, c.points, deductions, bonuses, score, entries))
    return scores, tuple(out)
